package dev.rdeportal.query.audit;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /api/v1/audit} (admins only): the log, its export, chain verification and the signed
 * head. The event store is read with blocking JDBC, always on the bounded-elastic scheduler, never
 * on an event-loop thread.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Executor BLOCKING = task -> Schedulers.boundedElastic().schedule(task);

    private final AuditLog log;
    private final ChainVerifier verifier;
    private final AuditSigner signer;
    private final Clock clock;

    @Autowired
    AuditController(AuditLog log, ChainVerifier verifier, AuditSigner signer) {
        this(log, verifier, signer, Clock.systemUTC());
    }

    AuditController(AuditLog log, ChainVerifier verifier, AuditSigner signer, Clock clock) {
        this.log = log;
        this.verifier = verifier;
        this.signer = signer;
        this.clock = clock;
    }

    /** Oldest first; {@code next} is the sequence to pass as {@code cursor} for the following page. */
    @GetMapping
    Mono<ListResponse<AuditEntry>> list(Principal principal,
                                        @RequestParam(required = false) String from,
                                        @RequestParam(required = false) String to,
                                        @RequestParam(required = false) String actor,
                                        @RequestParam(required = false) String type,
                                        @RequestParam(required = false) String workspace,
                                        @RequestParam(required = false) String cursor,
                                        @RequestParam(required = false) String limit) {
        Caller.of(principal).requireAdmin("reading the audit log");
        AuditFilter filter = AuditFilter.parse(from, to, actor, type, workspace);
        long after = cursor(cursor);
        int size = limit(limit);
        return Mono.fromCallable(() -> log.page(filter, after, size))
                .subscribeOn(Schedulers.boundedElastic())
                .map(page -> new ListResponse<>(page.items(), page.next() == null ? null : page.next().toString()));
    }

    /**
     * The whole matching range, written while it is read: a writer thread fills the response and
     * blocks whenever the client reads slower than the database delivers (the publisher only asks
     * for more when the response has room), so memory stays flat for any range.
     */
    @GetMapping("/export")
    ResponseEntity<Flux<DataBuffer>> export(Principal principal,
                                            @RequestParam(required = false) String format,
                                            @RequestParam(required = false) String from,
                                            @RequestParam(required = false) String to,
                                            @RequestParam(required = false) String actor,
                                            @RequestParam(required = false) String type,
                                            @RequestParam(required = false) String workspace) {
        Caller.of(principal).requireAdmin("exporting the audit log");
        AuditFilter filter = AuditFilter.parse(from, to, actor, type, workspace);
        AuditExportFormat chosen = AuditExportFormat.parse(format);
        Flux<DataBuffer> body = Flux.from(DataBufferUtils.outputStreamPublisher(
                out -> log.export(filter, chosen, out), DefaultDataBufferFactory.sharedInstance, BLOCKING, 64 * 1024));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(chosen.mediaType() + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit." + chosen.extension() + "\"")
                .body(body);
    }

    @GetMapping("/verify")
    Mono<VerificationReport> verify(Principal principal) {
        Caller.of(principal).requireAdmin("verifying the audit chain");
        return Mono.fromCallable(verifier::verify).subscribeOn(Schedulers.boundedElastic());
    }

    /** The recorded chain head, signed now; keep it outside the portal to anchor the history. */
    @GetMapping("/head")
    Mono<AuditSigner.SignedHead> head(Principal principal) {
        Caller.of(principal).requireAdmin("signing the audit chain head");
        return Mono.fromCallable(() -> verifier.recordedHead()
                        .map(head -> signer.sign(head, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS)))
                        .orElseThrow(() -> DomainException.conflict("the audit chain is empty: no event linked yet")))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static long cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return AuditLog.START;
        }
        try {
            return Long.parseLong(cursor.trim());
        } catch (NumberFormatException e) {
            throw DomainException.invalid("cursor is not one this API returned");
        }
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DomainException.invalid("limit must be a whole number between 1 and " + MAX_LIMIT);
    }
}
