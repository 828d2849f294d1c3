package io.chargeline.core.device;

import io.chargeline.core.Page;
import java.util.Optional;

/** Durable list of provisioned chargers. Writes are durable when they return. */
public interface DeviceRegistry {
    void put(Device device);

    Optional<Device> find(String chargerId);

    /** Devices in charger-id order, starting after {@code afterChargerId} when it is not null. */
    Page<Device> list(String afterChargerId, int limit);
}
