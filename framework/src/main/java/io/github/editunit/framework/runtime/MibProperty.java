package io.github.editunit.framework.runtime;

/** A memory budget given as a system property in whole MiB (at least 1), read as bytes. */
public final class MibProperty {

    private MibProperty() {}

    /** {@code property}'s value in bytes, or {@code defaultMib} MiB when it is unset or blank. */
    public static long bytes(String property, long defaultMib) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return defaultMib << 20;
        }
        long mib;
        try {
            mib = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a whole number of MiB, got '" + v + "'");
        }
        if (mib < 1) {
            throw new IllegalArgumentException(property + " must be at least 1 MiB, got " + mib);
        }
        return mib << 20;
    }
}
