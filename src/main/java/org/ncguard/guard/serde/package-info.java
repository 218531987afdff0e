/**
 * How the guard's records travel: Avro single-object encoding by default (no registry needed), or the Confluent wire
 * format through an Apicurio Registry. Request bytes are decoded here into a typed record or a dead-letter reason.
 */
package org.ncguard.guard.serde;
