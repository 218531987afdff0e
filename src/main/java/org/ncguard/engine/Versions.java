package org.ncguard.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Library versions, recorded on every artifact ncguard writes (provenance). */
public final class Versions {

    private Versions() {}

    public static String ncguard() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** ncguard, the JVM, the OS and the libraries that decide results: recorded on every artifact. */
    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ncguard", ncguard());
        v.put("java", System.getProperty("java.version"));
        v.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        v.put("onnxruntime", implementation(ai.onnxruntime.OrtEnvironment.class, "unknown"));
        v.put("nd4j", implementation(org.nd4j.linalg.factory.Nd4j.class, "1.0.0-M2.1"));
        v.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return v;
    }

    private static String implementation(Class<?> type, String fallback) {
        String v = type.getPackage().getImplementationVersion();
        return v == null ? fallback : v;
    }
}
