package org.ncguard.profile;

/** A sample profile of the profile tests, for tests in other packages. */
public final class ProfileSamples {

    private ProfileSamples() {
    }

    /** An unsigned profile with two labels, a scan and versions. */
    public static GuardProfile profile() {
        return ProfileSignaturesTest.profile();
    }
}
