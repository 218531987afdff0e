/**
 * The streaming guard: a Kafka Streams topology that scores every inference request against the served model's guard
 * profile and routes it to a clean or quarantine topic, with a verdict for every request, an alert for every
 * suspicious one and a dead-letter record for every malformed one.
 *
 * <p>The topology is a pure function ({@link org.ncguard.guard.GuardTopology#build}) shared by {@code ncguard serve},
 * the tests and the demo; the decision itself is a pure policy ({@link org.ncguard.guard.GuardPolicy}) with no Kafka
 * in it. Nothing here loads ND4J: the guard needs only ONNX Runtime and the profile records.
 */
package org.ncguard.guard;
