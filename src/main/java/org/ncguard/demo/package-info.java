/**
 * {@code ncguard demo}: the whole product in one command, on an embedded broker and built-in data. A BadNets model is
 * trained (or taken from the cache), scanned, profiled; the profile goes to the profiles topic; the guard starts and
 * mixed traffic (clean and triggered images) flows through it, with every request accounted for. The one package that
 * composes the offline stage and the guard.
 */
package org.ncguard.demo;
