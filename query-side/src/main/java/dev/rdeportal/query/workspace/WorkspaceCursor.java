package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.workspace.WorkspaceView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a page of "newest first" ended: the (created_at, id) of its last item. Keyset rather than
 * offset, so a workspace launched while a client pages through does not shift later pages and
 * make it see an item twice. Opaque to clients (base64url), but not secret: it only names a
 * position in a list the caller may already read.
 */
record WorkspaceCursor(Instant createdAt, String id) {

    private static final char SEPARATOR = '\n';

    static WorkspaceCursor after(WorkspaceView last) {
        return new WorkspaceCursor(last.createdAt(), last.id());
    }

    String encode() {
        String plain = createdAt + String.valueOf(SEPARATOR) + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static WorkspaceCursor decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int split = plain.indexOf(SEPARATOR);
            if (split <= 0 || split == plain.length() - 1) {
                throw malformed();
            }
            return new WorkspaceCursor(Instant.parse(plain.substring(0, split)), plain.substring(split + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw malformed();
        }
    }

    private static DomainException malformed() {
        return DomainException.invalid("cursor is not one this API returned");
    }
}
