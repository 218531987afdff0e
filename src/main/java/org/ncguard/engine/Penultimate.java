package org.ncguard.engine;

/** The activation that feeds the classifier's last dense layer: the features the guard watches. */
public record Penultimate(String tensor, int size) {}
