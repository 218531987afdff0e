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

    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ncguard", ncguard());
        v.put("java", System.getProperty("java.version"));
        v.put("onnxruntime", implementation(ai.onnxruntime.OrtEnvironment.class, "unknown"));
        v.put("nd4j", implementation(org.nd4j.linalg.factory.Nd4j.class, "1.0.0-M2.1"));
        return v;
    }

    private static String implementation(Class<?> type, String fallback) {
        String v = type.getPackage().getImplementationVersion();
        return v == null ? fallback : v;
    }
}
