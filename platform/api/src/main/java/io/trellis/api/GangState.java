package io.trellis.api;

/**
 * Where a gang stands. WAITING: not all of {@code minMember} fit and it holds nothing. HELD: it
 * holds resources on agents, offered to nobody else, until enough members fit. OFFERED: its
 * members were offered together. EXPIRED: a SOFT gang whose timeout passed; its members wait
 * as a plain demand. FAILED: a HARD gang whose timeout passed.
 */
public enum GangState { WAITING, HELD, OFFERED, EXPIRED, FAILED }
