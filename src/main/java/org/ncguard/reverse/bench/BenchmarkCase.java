package org.ncguard.reverse.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One model of the detection benchmark ({@code src/benchmark/detection/cases.csv}): how it is trained and how it is
 * scanned. An infected model has a planted trigger and target; a clean twin has neither.
 *
 * @param id          name of the case, unique in the list
 * @param maker       {@code lab} (ncguard attack), {@code torch} (the PyTorch reference train_badnets.py) or
 *                    {@code torch-colour} (train_colour_badnets.py: colourised Fashion-MNIST, BatchNorm, Softmax)
 * @param infected    whether a trigger is planted
 * @param arch        the network
 * @param train       training data spec
 * @param test        test data spec (empty for torch, which uses its own)
 * @param trigger     the planted trigger spec; empty for a clean twin
 * @param target      the planted target label; -1 for a clean twin
 * @param trainSeed   the training seed
 * @param epochs      training epochs
 * @param scanData    the clean images the scan reads
 * @param scanOptions extra scan options (for example {@code --fast})
 * @param key         hash of the training columns: the model's cache key (models/ID-KEY.onnx)
 */
public record BenchmarkCase(String id, String maker, boolean infected, String arch, String train, String test,
                            String trigger, int target, long trainSeed, int epochs, String scanData,
                            String scanOptions, String key) {

    public BenchmarkCase {
        if (id == null || !id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("case id must be letters, digits, '.', '_' or '-', found " + id);
        }
        if (!maker.equals("lab") && !maker.equals("torch") && !maker.equals("torch-colour")) {
            throw new IllegalArgumentException("case " + id + ": maker must be lab, torch or torch-colour, found "
                    + maker);
        }
        if (infected != (target >= 0)) {
            throw new IllegalArgumentException("case " + id + ": an infected case needs a target >= 0 and a clean one"
                    + " none, found target " + target);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("case " + id + ": epochs must be >= 1, found " + epochs);
        }
    }

    /** The case in one CSV line of 12 columns (see the file's header). */
    public static BenchmarkCase parse(String line) {
        String[] c = line.split(",", -1);
        if (c.length != 12) {
            throw new IllegalArgumentException("a case line has 12 columns, found " + c.length + ": " + line);
        }
        boolean infected = switch (c[2]) {
            case "infected" -> true;
            case "clean" -> false;
            default -> throw new IllegalArgumentException("case " + c[0] + ": kind must be infected or clean, found "
                    + c[2]);
        };
        try {
            return new BenchmarkCase(c[0], c[1], infected, c[3], c[4], c[5], c[6],
                    c[7].isEmpty() ? -1 : Integer.parseInt(c[7]), Long.parseLong(c[8]), Integer.parseInt(c[9]),
                    c[10], c[11], key(c));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("case " + c[0] + ": target, seed and epochs must be integers: " + line);
        }
    }

    /** The model's file stem in the benchmark's output: {@code ID-KEY}. */
    public String stem() {
        return id + "-" + key;
    }

    /** The cache key: the first 8 hex digits of the SHA-256 of columns 2 to 10 joined by commas, as run.sh does. */
    static String key(String[] columns) {
        String training = String.join(",", Arrays.copyOfRange(columns, 1, 10));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(training.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
