package io.chargeline.core.audit;

import io.chargeline.core.Page;

/** Where audit entries are kept: appended, listed newest first. */
public interface AuditLog {
    void append(AuditEntry entry);

    /** Newest first; {@code cursor} is the id of the last entry of the previous page, or null. */
    Page<AuditEntry> list(String cursor, int limit);
}
