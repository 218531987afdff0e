package org.ncguard.reverse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.ncguard.NcguardException;

/** The versions that produced an artifact: ncguard itself, the JVM, the OS, the libraries that wrote it. */
public final class Versions {

    private Versions() {
    }

    /**
     * The versions of this process: {@code ncguard} (from the jar manifest; "dev" when run from classes),
     * {@code java}, {@code jvm}, {@code os} and {@code jackson}. Callers add the libraries they used (ONNX Runtime,
     * ND4J) to a copy.
     */
    public static Map<String, String> current() {
        Map<String, String> versions = new LinkedHashMap<>();
        String ncguard = NcguardException.class.getPackage().getImplementationVersion();
        versions.put("ncguard", ncguard == null ? "dev" : ncguard);
        versions.put("java", System.getProperty("java.version"));
        versions.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        versions.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return Collections.unmodifiableMap(versions);
    }
}
