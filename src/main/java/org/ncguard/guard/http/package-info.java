/** The guard's operations endpoint over the JDK's HTTP server: liveness, readiness and Prometheus metrics. */
package org.ncguard.guard.http;
