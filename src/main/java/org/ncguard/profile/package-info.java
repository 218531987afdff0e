/**
 * The guard profile: the contract between the offline stage, which writes it, and the streaming guard, which scores
 * every request against it. Plain records with their JSON and Avro forms, and their Ed25519 signatures (a profile is
 * a security control: a guard that trusts keys applies only signed ones); no ND4J, no Kafka, no ONNX Runtime.
 */
package org.ncguard.profile;
