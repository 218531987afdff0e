package org.ncguard.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ncguard.NcguardException;
import org.ncguard.data.TriggerSpec.Corner;

/** Parses trigger spec strings; the grammar is documented on {@link TriggerSpec}. */
final class TriggerParser {

    /** The valid forms, for messages. */
    static final String FORMS = "square:SIZE[:COLOR][:CORNER], checker:SIZE[:CORNER], watermark:ALPHA[:SEED], "
            + "image:FILE.png";

    private TriggerParser() {
    }

    static TriggerSpec parse(String spec) throws NcguardException {
        String s = spec == null ? "" : spec.trim();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1);
        switch (kind) {
            case "square": {
                String[] parts = rest.split(":", -1);
                if (parts.length > 3) {
                    throw new NcguardException("trigger '" + spec + "' has too many parts; expected "
                            + "square:SIZE[:COLOR][:CORNER]");
                }
                int size = positiveInt(spec, parts[0]);
                int rgb = 0xFFFFFF;
                Corner corner = Corner.BOTTOM_RIGHT;
                for (int i = 1; i < parts.length; i++) {
                    Corner c = Corner.byName(parts[i].toLowerCase(Locale.ROOT));
                    if (c != null && i == parts.length - 1) {
                        corner = c;
                    } else if (i == 1) {
                        rgb = colour(spec, parts[i]);
                    } else {
                        throw new NcguardException("trigger '" + spec + "': unknown corner '" + parts[i]
                                + "'; expected " + cornerNames());
                    }
                }
                return new TriggerSpec.Square(size, rgb, corner);
            }
            case "checker": {
                String[] parts = rest.split(":", -1);
                if (parts.length > 2) {
                    throw new NcguardException("trigger '" + spec + "' has too many parts; expected "
                            + "checker:SIZE[:CORNER]");
                }
                int size = positiveInt(spec, parts[0]);
                Corner corner = Corner.BOTTOM_RIGHT;
                if (parts.length == 2) {
                    corner = Corner.byName(parts[1].toLowerCase(Locale.ROOT));
                    if (corner == null) {
                        throw new NcguardException("trigger '" + spec + "': unknown corner '" + parts[1]
                                + "'; expected " + cornerNames());
                    }
                }
                return new TriggerSpec.Checker(size, corner);
            }
            case "watermark": {
                String[] parts = rest.split(":", -1);
                if (parts.length > 2) {
                    throw new NcguardException("trigger '" + spec + "' has too many parts; expected "
                            + "watermark:ALPHA[:SEED]");
                }
                float alpha;
                try {
                    alpha = Float.parseFloat(parts[0]);
                } catch (NumberFormatException e) {
                    alpha = Float.NaN;
                }
                if (!(alpha > 0 && alpha <= 1)) {
                    throw new NcguardException("trigger '" + spec + "': ALPHA must be a number in (0,1], found '"
                            + parts[0] + "'");
                }
                long seed = 0;
                if (parts.length == 2) {
                    try {
                        seed = Long.parseLong(parts[1]);
                    } catch (NumberFormatException e) {
                        throw new NcguardException("trigger '" + spec + "': SEED must be an integer, found '"
                                + parts[1] + "'");
                    }
                }
                return new TriggerSpec.Watermark(alpha, seed);
            }
            case "image":
                if (rest.isEmpty()) {
                    throw new NcguardException("trigger '" + spec + "' names no file; expected image:FILE.png");
                }
                return new TriggerSpec.ImageFile(Path.of(rest));
            default:
                throw new NcguardException("unknown trigger '" + spec + "'; expected one of " + FORMS);
        }
    }

    private static int positiveInt(String spec, String s) throws NcguardException {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NcguardException("trigger '" + spec + "': SIZE must be a positive integer, found '" + s + "'");
    }

    private static String cornerNames() {
        StringBuilder sb = new StringBuilder();
        for (Corner c : Corner.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.specName());
        }
        return sb.toString();
    }

    /** Named colours for {@code square}. */
    static final Map<String, Integer> COLOURS = Map.ofEntries(
            Map.entry("white", 0xFFFFFF), Map.entry("black", 0x000000), Map.entry("red", 0xFF0000),
            Map.entry("green", 0x00FF00), Map.entry("blue", 0x0000FF), Map.entry("yellow", 0xFFFF00),
            Map.entry("cyan", 0x00FFFF), Map.entry("magenta", 0xFF00FF), Map.entry("grey", 0x808080),
            Map.entry("gray", 0x808080), Map.entry("orange", 0xFF8000));

    /** The name of {@code rgb} if it has one, otherwise {@code #rrggbb}. */
    static String colourName(int rgb) {
        for (Map.Entry<String, Integer> e : new TreeMap<>(COLOURS).entrySet()) {
            if (e.getValue() == rgb && !e.getKey().equals("gray")) {
                return e.getKey();
            }
        }
        return String.format("#%06x", rgb);
    }

    private static int colour(String spec, String s) throws NcguardException {
        String n = s.toLowerCase(Locale.ROOT);
        Integer named = COLOURS.get(n);
        if (named != null) {
            return named;
        }
        if (n.matches("#[0-9a-f]{6}")) {
            return Integer.parseInt(n.substring(1), 16);
        }
        throw new NcguardException("trigger '" + spec + "': unknown colour or corner '" + s + "'; expected a colour "
                + "name (" + String.join(" ", new TreeSet<>(COLOURS.keySet())) + "), #rrggbb, or a corner ("
                + cornerNames() + ")");
    }
}
