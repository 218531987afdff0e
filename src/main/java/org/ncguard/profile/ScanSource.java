package org.ncguard.profile;

/**
 * The scan a profile was built from.
 *
 * @param path    the scan's folder, as given
 * @param verdict its verdict, infected or clean
 * @param sha256  SHA-256 of its scan.json
 */
public record ScanSource(String path, String verdict, String sha256) {

    public ScanSource {
        if (path == null || verdict == null || sha256 == null) {
            throw new IllegalArgumentException("scan path, verdict and sha256 are required");
        }
    }
}
