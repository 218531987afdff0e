package org.ncguard.cli;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSignatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncguard keygen}: an Ed25519 key pair for signing guard profiles. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make an Ed25519 key pair for signing guard profiles: NAME.key (private, PKCS#8 PEM, mode 0600) "
                + "for 'profile --sign-key' and 'publish-profile --sign-key', NAME.pub (public, X.509 PEM) for "
                + "'serve --trust-key'. Never overwrites.")
final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "NAME", description = "Writes NAME.key and NAME.pub.")
    Path out;

    @Override
    public Integer call() throws Exception {
        KeyPair pair = ProfileKeys.writeNew(out);
        System.out.println("private key: " + ProfileKeys.privateFile(out) + " (keep it secret)");
        System.out.println("public key:  " + ProfileKeys.publicFile(out) + " (key id "
                + ProfileSignatures.keyId(pair.getPublic()) + ")");
        return 0;
    }
}
