/**
 * Replay of retained traffic: the requests of a time range re-scored against a (new) profile by a plain Kafka
 * consumer, through the live guard's own decoding, scoring and policy ({@link org.ncguard.guard.RequestScorer}), with
 * verdicts and alerts marked {@code replay: true} on topics of their own and a summary of what would have been
 * flagged. It never joins the live guard's consumer group and never writes the live topics.
 */
package org.ncguard.guard.replay;
