package io.chargeline.core.device;

import io.chargeline.core.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A device (or operator) registry in memory, in id order, for tests. */
public final class InMemoryDeviceRegistry implements DeviceRegistry {
    private final Map<String, Device> devices = new ConcurrentSkipListMap<>();

    @Override
    public void put(Device device) {
        devices.put(device.chargerId(), device);
    }

    @Override
    public Optional<Device> find(String id) {
        return Optional.ofNullable(devices.get(id));
    }

    @Override
    public Page<Device> list(String after, int limit) {
        List<Device> out = new ArrayList<>();
        for (Device d : devices.values()) {
            if ((after == null || d.chargerId().compareTo(after) > 0) && out.size() < limit) {
                out.add(d);
            }
        }
        return new Page<>(out, null);
    }
}
