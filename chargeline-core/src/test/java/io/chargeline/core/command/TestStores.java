package io.chargeline.core.command;

/** Test stores of this package for tests elsewhere. */
public final class TestStores {
    private TestStores() {}

    public static CommandStore commands() {
        return new InMemoryCommandStore();
    }
}
