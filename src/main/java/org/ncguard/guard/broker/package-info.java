/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one) inside the JVM: for trying the guard
 * locally, the demo and the tests, with the settings one node needs for exactly-once Kafka Streams, and optionally
 * SCRAM-SHA-512 logins and Kafka's ACL authorizer ({@link org.ncguard.guard.broker.BrokerSecurity}).
 */
package org.ncguard.guard.broker;
