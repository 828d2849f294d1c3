package io.chargeline.core.audit;

import java.util.Objects;

/** Who asks for a change: the API key's name and the client's address. */
public record Actor(String name, String address) {
    public Actor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }
}
