package org.ncguard.profile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ncguard.NcguardException;

/**
 * Ed25519 key files for signing profiles: {@code NAME.key} (PKCS#8 private key, PEM, readable by its owner only) and
 * {@code NAME.pub} (X.509 SubjectPublicKeyInfo, PEM), the forms OpenSSL reads and writes
 * ({@code openssl genpkey -algorithm ed25519}). Errors are one line naming the file and what would work.
 */
public final class ProfileKeys {

    private static final String PRIVATE = "PRIVATE KEY";
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");
    private static final String PUBLIC = "PUBLIC KEY";
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private ProfileKeys() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ProfileSignatures.ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ProfileSignatures.ALGORITHM + ": " + e.getMessage(), e);
        }
    }

    /** {@code NAME.key} for {@code --out NAME}. */
    public static Path privateFile(Path name) {
        return name.resolveSibling(name.getFileName() + ".key");
    }

    /** {@code NAME.pub} for {@code --out NAME}. */
    public static Path publicFile(Path name) {
        return name.resolveSibling(name.getFileName() + ".pub");
    }

    /**
     * Writes a new key pair to {@code NAME.key} (mode 0600 where the file system has POSIX modes) and
     * {@code NAME.pub}; never overwrites.
     *
     * @return the key pair written
     * @throws NcguardException when either file exists or cannot be written
     */
    public static KeyPair writeNew(Path name) throws NcguardException {
        Path key = privateFile(name);
        Path pub = publicFile(name);
        for (Path p : List.of(key, pub)) {
            if (Files.exists(p)) {
                throw new NcguardException(p + " already exists; keys are never overwritten: choose another --out or "
                        + "remove the old key first");
            }
        }
        KeyPair pair = generate();
        try {
            Path dir = key.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            FileAttribute<?>[] ownerOnly = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            Files.createFile(key, ownerOnly);
            try (OutputStream out = Files.newOutputStream(key, StandardOpenOption.WRITE)) {
                out.write(pem(PRIVATE, pair.getPrivate().getEncoded()));
            }
            Files.write(pub, pem(PUBLIC, pair.getPublic().getEncoded()), StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new NcguardException(e.getFile() + " already exists; keys are never overwritten: choose another "
                    + "--out or remove the old key first");
        } catch (IOException e) {
            throw new NcguardException("cannot write the key pair " + key + " / " + pub + ": " + e.getMessage(), e);
        }
        return pair;
    }

    /**
     * Reads an Ed25519 private key (PKCS#8 PEM, as {@code ncguard keygen} writes {@code NAME.key}).
     *
     * @throws NcguardException when the file is missing, not such a key, or a public key
     */
    public static PrivateKey readPrivate(Path file) throws NcguardException {
        byte[] der = read(file, PRIVATE, "a private key (NAME.key from 'ncguard keygen')");
        try {
            return KeyFactory.getInstance(ProfileSignatures.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new NcguardException(file + " is not an Ed25519 private key; give NAME.key from 'ncguard keygen'");
        }
    }

    /**
     * Reads an Ed25519 public key (X.509 SubjectPublicKeyInfo PEM, as {@code ncguard keygen} writes {@code NAME.pub}).
     *
     * @throws NcguardException when the file is missing, not such a key, or a private key
     */
    public static PublicKey readPublic(Path file) throws NcguardException {
        byte[] der = read(file, PUBLIC, "a public key (NAME.pub from 'ncguard keygen')");
        try {
            return KeyFactory.getInstance(ProfileSignatures.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new NcguardException(file + " is not an Ed25519 public key; give NAME.pub from 'ncguard keygen'");
        }
    }

    /**
     * The public key of an Ed25519 private key (for the signature's key id). The JDK derives it only when generating,
     * so the private key is fed to the generator as its randomness, and the pair is checked by a signature.
     */
    public static PublicKey publicOf(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
        }
        byte[] seed = ed.getBytes().get();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ProfileSignatures.ALGORITHM);
            g.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
            PublicKey pub = g.generateKeyPair().getPublic();
            byte[] probe = "ncguard key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(ProfileSignatures.ALGORITHM);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(probe);
            if (!s.verify(sig)) {
                throw new IllegalStateException("this JDK did not derive the public key of an Ed25519 private key");
            }
            return pub;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file, String type, String expected) throws NcguardException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new NcguardException("key file not found: " + file + " (make a key pair with 'ncguard keygen')");
        } catch (IOException e) {
            throw new NcguardException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new NcguardException(file + " is not a PEM key file; expected " + expected);
        }
        if (!m.group(1).equals(type)) {
            throw new NcguardException(file + " holds a PEM '" + m.group(1) + "'; expected " + expected);
        }
        try {
            return Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new NcguardException(file + " has a damaged PEM body; expected " + expected);
        }
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Randomness that is a given private key: see {@link #publicOf}. */
    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("expected a request for " + seed.length + " bytes, found "
                        + bytes.length);
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
