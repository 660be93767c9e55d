package io.trellis.allocator;

import java.time.Instant;
import java.util.Arrays;

/**
 * Where refuse filters live, without an object per filter: each filter is a record of ints in
 * fixed-size pages (growing never copies the filters already stored, and a cluster holding
 * millions of filters gives the garbage collector a few hundred arrays of primitives to look at),
 * linked into a list per agent and a list per subscription, and ordered by expiry in a binary
 * heap of record ids. Record ids are reused after a filter is removed.
 *
 * <p>This class only stores; {@link Filters} decides what a filter means.
 */
final class FilterStore {
  // Fields of one record.
  private static final int SUB = 0;
  private static final int AGENT = 1;
  private static final int SNAPSHOT = 2;
  private static final int NANO = 3;
  private static final int SECOND_HIGH = 4;
  private static final int SECOND_LOW = 5;
  private static final int AGENT_PREV = 6;
  private static final int AGENT_NEXT = 7;
  private static final int SUB_PREV = 8;
  private static final int SUB_NEXT = 9;
  private static final int HEAP_POS = 10;
  private static final int WIDTH = 11;

  /**
   * Records per page: 1.4 MB pages, which G1 allocates straight into the old generation on
   * heaps up to 4 GiB (objects over half a region), so they are never copied between survivor
   * spaces. The first page starts small and doubles up to this size.
   */
  private static final int PAGE_BITS = 15;
  private static final int PAGE = 1 << PAGE_BITS;
  private static final int MASK = PAGE - 1;
  private static final int FIRST_PAGE = 64;

  private int[][] pages = {new int[FIRST_PAGE * WIDTH]};
  private int capacity = FIRST_PAGE;
  /** One past the highest record id ever handed out. */
  private int limit;
  /** Removed records, linked through their {@link #AGENT_NEXT} field. */
  private int freeHead = -1;
  private int size;

  private int[] agentHead = new int[0];
  private int[] agentCount = new int[0];
  private int[] subHead = new int[0];
  private int[] subCount = new int[0];
  /** Record ids, earliest expiry first. */
  private int[] heap = new int[FIRST_PAGE];
  private int heapSize;
  /** Room (in records) above which {@link #compactIfSparse} packs a store three quarters empty. */
  private final int compactAbove;
  private int compactions;

  FilterStore() {
    this(4 * PAGE);
  }

  FilterStore(int compactAbove) {
    this.compactAbove = compactAbove;
  }

  void ensureAgents(int n) {
    if (n > agentHead.length) {
      agentHead = grownHeads(agentHead, n);
      agentCount = Arrays.copyOf(agentCount, n);
    }
  }

  void ensureSubs(int n) {
    if (n > subHead.length) {
      subHead = grownHeads(subHead, n);
      subCount = Arrays.copyOf(subCount, n);
    }
  }

  private static int[] grownHeads(int[] heads, int n) {
    int old = heads.length;
    int[] grown = Arrays.copyOf(heads, n);
    Arrays.fill(grown, old, n, -1);
    return grown;
  }

  int size() {
    return size;
  }

  /** Stores a filter and returns its record id. */
  int add(int sub, int agent, long second, int nano, int snapshot) {
    int id = allocate();
    set(id, SUB, sub);
    set(id, AGENT, agent);
    set(id, SNAPSHOT, snapshot);
    set(id, NANO, nano);
    set(id, SECOND_HIGH, (int) (second >>> 32));
    set(id, SECOND_LOW, (int) second);
    link(id, agentHead, agent, AGENT_PREV, AGENT_NEXT);
    agentHead[agent] = id;
    agentCount[agent]++;
    link(id, subHead, sub, SUB_PREV, SUB_NEXT);
    subHead[sub] = id;
    subCount[sub]++;
    heapAdd(id);
    size++;
    return id;
  }

  /** Removes a stored filter; its id may be handed out again by the next {@link #add}. */
  void remove(int id) {
    int agent = get(id, AGENT);
    int sub = get(id, SUB);
    unlink(id, agentHead, agent, AGENT_PREV, AGENT_NEXT);
    agentCount[agent]--;
    unlink(id, subHead, sub, SUB_PREV, SUB_NEXT);
    subCount[sub]--;
    heapRemove(get(id, HEAP_POS));
    set(id, AGENT_NEXT, freeHead);
    freeHead = id;
    size--;
    if (size == 0 && capacity > FIRST_PAGE) {
      reset();
    }
  }

  int sub(int id) {
    return get(id, SUB);
  }

  int agent(int id) {
    return get(id, AGENT);
  }

  int snapshot(int id) {
    return get(id, SNAPSHOT);
  }

  Instant until(int id) {
    return Instant.ofEpochSecond(second(id), get(id, NANO));
  }

  /** Whether the filter expires at or before the given instant. */
  boolean dueBy(int id, long second, int nano) {
    long s = second(id);
    return s < second || (s == second && get(id, NANO) <= nano);
  }

  /** The first filter on the agent's list, or -1; then {@link #nextOnAgent}. */
  int firstOnAgent(int agent) {
    return agentHead[agent];
  }

  int nextOnAgent(int id) {
    return get(id, AGENT_NEXT);
  }

  /** The first filter on the subscription's list, or -1; then {@link #nextOfSub}. */
  int firstOfSub(int sub) {
    return subHead[sub];
  }

  int nextOfSub(int id) {
    return get(id, SUB_NEXT);
  }

  /** The subscription's filter on the agent, or -1; walks the shorter of the two lists. */
  int find(int sub, int agent) {
    if (agentCount[agent] <= subCount[sub]) {
      for (int id = agentHead[agent]; id >= 0; id = get(id, AGENT_NEXT)) {
        if (get(id, SUB) == sub) {
          return id;
        }
      }
    } else {
      for (int id = subHead[sub]; id >= 0; id = get(id, SUB_NEXT)) {
        if (get(id, AGENT) == agent) {
          return id;
        }
      }
    }
    return -1;
  }

  /** The filter that expires first, or -1 when none is stored. */
  int earliest() {
    return heapSize == 0 ? -1 : heap[0];
  }

  /**
   * Packs the filters into as few pages as they need once three quarters of the room is empty,
   * so a burst of filters does not pin its memory for good. Record ids change: call it only
   * between operations, never while walking a list.
   */
  void compactIfSparse() {
    if (capacity <= compactAbove || capacity <= FIRST_PAGE || size * 4L > capacity) {
      return;
    }
    int room = size < PAGE ? Math.max(FIRST_PAGE, Integer.highestOneBit(Math.max(1, size)) * 2)
        : (size + MASK) & ~MASK;
    int[][] packed = room < PAGE ? new int[][] {new int[room * WIDTH]} : new int[room >>> PAGE_BITS][];
    for (int p = 0; room >= PAGE && p < packed.length; p++) {
      packed[p] = new int[PAGE * WIDTH];
    }
    // A record's new id is its place in the heap, which its HEAP_POS field already holds.
    for (int i = 0; i < heapSize; i++) {
      int id = heap[i];
      for (int field = 0; field < WIDTH; field++) {
        int value = get(id, field);
        if (field >= AGENT_PREV && field <= SUB_NEXT && value >= 0) {
          value = get(value, HEAP_POS);
        }
        packed[i >>> PAGE_BITS][(i & MASK) * WIDTH + field] = value;
      }
      heap[i] = i;
    }
    renumber(agentHead);
    renumber(subHead);
    pages = packed;
    capacity = room;
    limit = size;
    freeHead = -1;
    heap = Arrays.copyOf(heap, Math.max(FIRST_PAGE, room));
    compactions++;
  }

  /** How many times the store was packed. */
  int compactions() {
    return compactions;
  }

  private void renumber(int[] heads) {
    for (int i = 0; i < heads.length; i++) {
      if (heads[i] >= 0) {
        heads[i] = get(heads[i], HEAP_POS);
      }
    }
  }

  // Records.

  private int get(int id, int field) {
    return pages[id >>> PAGE_BITS][(id & MASK) * WIDTH + field];
  }

  private void set(int id, int field, int value) {
    pages[id >>> PAGE_BITS][(id & MASK) * WIDTH + field] = value;
  }

  private long second(int id) {
    return ((long) get(id, SECOND_HIGH) << 32) | (get(id, SECOND_LOW) & 0xFFFF_FFFFL);
  }

  private int allocate() {
    if (freeHead >= 0) {
      int id = freeHead;
      freeHead = get(id, AGENT_NEXT);
      return id;
    }
    if (limit == capacity) {
      if (capacity < PAGE) {
        capacity = Math.min(PAGE, capacity * 2);
        pages[0] = Arrays.copyOf(pages[0], capacity * WIDTH);
      } else {
        pages = Arrays.copyOf(pages, pages.length + 1);
        pages[pages.length - 1] = new int[PAGE * WIDTH];
        capacity += PAGE;
      }
    }
    return limit++;
  }

  /** Back to the first small page once no filter is left, so a burst of filters does not pin memory. */
  private void reset() {
    pages = new int[][] {new int[FIRST_PAGE * WIDTH]};
    capacity = FIRST_PAGE;
    limit = 0;
    freeHead = -1;
    heap = new int[FIRST_PAGE];
  }

  private void link(int id, int[] heads, int list, int prev, int next) {
    int head = heads[list];
    set(id, prev, -1);
    set(id, next, head);
    if (head >= 0) {
      set(head, prev, id);
    }
  }

  private void unlink(int id, int[] heads, int list, int prev, int next) {
    int p = get(id, prev);
    int n = get(id, next);
    if (p >= 0) {
      set(p, next, n);
    } else {
      heads[list] = n;
    }
    if (n >= 0) {
      set(n, prev, p);
    }
  }

  // The expiry heap.

  private boolean before(int x, int y) {
    long sx = second(x);
    long sy = second(y);
    return sx < sy || (sx == sy && get(x, NANO) < get(y, NANO));
  }

  private void heapAdd(int id) {
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, heapSize * 2);
    }
    place(heapSize++, id);
    siftUp(heapSize - 1);
  }

  private void heapRemove(int pos) {
    int last = heap[--heapSize];
    if (pos == heapSize) {
      return;
    }
    place(pos, last);
    if (pos > 0 && before(last, heap[(pos - 1) >>> 1])) {
      siftUp(pos);
    } else {
      siftDown(pos);
    }
  }

  private void siftUp(int pos) {
    int id = heap[pos];
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (!before(id, heap[parent])) {
        break;
      }
      place(pos, heap[parent]);
      pos = parent;
    }
    place(pos, id);
  }

  private void siftDown(int pos) {
    int id = heap[pos];
    while (true) {
      int child = 2 * pos + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
        child++;
      }
      if (!before(heap[child], id)) {
        break;
      }
      place(pos, heap[child]);
      pos = child;
    }
    place(pos, id);
  }

  private void place(int pos, int id) {
    heap[pos] = id;
    set(id, HEAP_POS, pos);
  }
}
