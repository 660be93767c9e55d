package io.trellis.allocator;

import java.util.List;

/** Receives what the allocator decides; called on the thread that owns the allocator. */
public interface OfferListener {
  /** New offers from one allocation cycle. */
  void offered(List<Offer> offers);

  /** An outstanding offer was taken back; its resources are no longer the framework's. */
  void rescinded(Offer offer, String reason);

  /**
   * A gang changed state (held, offered, expired, failed, back to waiting) or its hold changed;
   * a gang's offers reach {@link #offered} after its OFFERED change.
   */
  default void gangChanged(DemandStatus status) {}

  OfferListener NONE = new OfferListener() {
    @Override
    public void offered(List<Offer> offers) {}

    @Override
    public void rescinded(Offer offer, String reason) {}
  };
}
