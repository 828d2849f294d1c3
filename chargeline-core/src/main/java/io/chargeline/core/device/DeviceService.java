package io.chargeline.core.device;

import io.chargeline.core.ConflictException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning and revocation of chargers, and the rule the gateway applies at CONNECT: a charger may
 * connect only with the latest certificate issued to it, and not after it was revoked. Operators (MQTT
 * clients that watch alarms) follow the same rules in a registry of their own: see {@link #forOperators}.
 */
public final class DeviceService {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceService.class);

    private final ClientKind kind;
    private final DeviceRegistry registry;
    private final CertificateIssuer issuer;
    private final Clock clock;
    private volatile DeviceSessions sessions = DeviceSessions.NONE;
    /** Ids revoked and not provisioned again, kept in memory so the ingest path can ask for free. */
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    public DeviceService(DeviceRegistry registry, CertificateIssuer issuer, Clock clock) {
        this(ClientKind.CHARGER, registry, issuer, clock);
    }

    private DeviceService(ClientKind kind, DeviceRegistry registry, CertificateIssuer issuer, Clock clock) {
        this.kind = kind;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        String after = null;
        do {
            Page<Device> page = registry.list(after, 1_000);
            page.items().stream().filter(Device::isRevoked).forEach(d -> revoked.add(d.chargerId()));
            after = page.nextCursor();
        } while (after != null);
    }

    /** Operators: certificates named {@code CN=operator:<name>}, kept in {@code registry} by name. */
    public static DeviceService forOperators(DeviceRegistry registry, CertificateIssuer issuer, Clock clock) {
        return new DeviceService(ClientKind.OPERATOR, registry, issuer, clock);
    }

    public ClientKind kind() {
        return kind;
    }

    /** Set once the gateway is up; before that there are no sessions to drop. */
    public void attachSessions(DeviceSessions sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** {@code listener} is told the id of each charger revoked from now on, after the revocation is stored. */
    public void onRevoked(Consumer<String> listener) {
        revocationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Whether the charger is revoked (and not provisioned again); answered from memory. */
    public boolean isRevoked(String chargerId) {
        return revoked.contains(chargerId);
    }

    /**
     * Issues a certificate for a new charger, or a fresh one for a charger that was revoked.
     *
     * @param csrPem a CSR whose key is certified, or {@code null} to have a key pair generated
     */
    public synchronized IssuedCertificate provision(String chargerId, String csrPem) {
        kind.requireId(chargerId);
        Optional<Device> existing = registry.find(chargerId);
        if (existing.isPresent() && !existing.get().isRevoked()) {
            throw new ConflictException(kind.noun() + " " + chargerId + " is already provisioned; revoke it first");
        }
        String cn = kind.commonName(chargerId);
        IssuedCertificate cert = csrPem == null ? issuer.issue(cn) : issuer.issueForCsr(cn, csrPem);
        registry.put(new Device(chargerId, cert.serial(), clock.instant(), cert.notAfter(), null));
        revoked.remove(chargerId);
        LOG.info("{} provisioned (certificate serial {})", cn, cert.serial());
        return cert;
    }

    /**
     * Revokes the charger's certificate and drops its live connection; then the revocation listeners stop
     * watching it (silence, value rules) and clear its alarms.
     */
    public synchronized Device revoke(String chargerId) {
        Device device = require(chargerId);
        String cn = kind.commonName(chargerId);
        boolean newlyRevoked = !device.isRevoked();
        if (newlyRevoked) {
            device = device.revoked(clock.instant());
            registry.put(device);
            revoked.add(chargerId);
            LOG.info("{} revoked (certificate serial {})", cn, device.certificateSerial());
        }
        sessions.disconnect(cn);
        if (newlyRevoked) {
            tellRevoked(chargerId);
        }
        return device;
    }

    private void tellRevoked(String chargerId) {
        for (Consumer<String> listener : revocationListeners) {
            try {
                listener.accept(chargerId);
            } catch (RuntimeException e) {
                LOG.error("{} revoked, but a listener could not be told", kind.commonName(chargerId), e);
            }
        }
    }

    /** The registered charger (or operator), or a not-found error naming it. */
    public Device require(String chargerId) {
        kind.requireId(chargerId);
        return registry.find(chargerId)
                .orElseThrow(() -> new NotFoundException(kind.noun() + " " + chargerId + " is not provisioned"));
    }

    public Optional<Device> find(String chargerId) {
        return registry.find(chargerId);
    }

    public Page<Device> list(String afterChargerId, int limit) {
        return registry.list(afterChargerId, limit);
    }

    /** The CONNECT rule: is this certificate the charger's (or operator's) current, unrevoked one? */
    public boolean mayConnect(String chargerId, String certificateSerial) {
        return registry.find(chargerId)
                .map(d -> !d.isRevoked() && d.certificateSerial().equals(certificateSerial))
                .orElse(false);
    }

    public String caCertificatePem() {
        return issuer.caCertificatePem();
    }
}
