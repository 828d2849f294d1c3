package io.chargeline.tools.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * A plausible AC/DC charger: sessions of plug-in, charging with a tapering power curve, finishing, idle; a
 * monotonic energy counter; grid voltage with noise; current from power; temperature following power; the
 * odd fault. Deterministic for a given seed, so runs can be compared.
 */
public final class ChargerModel {
    public enum Status { AVAILABLE, PREPARING, CHARGING, FINISHING, FAULTED }

    private final String chargerId;
    private final Random random;
    private final double maxPowerKw;
    private Status status = Status.AVAILABLE;
    private double energyKwh;
    private double sessionEnergyKwh;
    private double sessionTargetKwh;
    private double soc;
    private double temperatureC = 25;
    private Duration inState = Duration.ZERO;
    private String errorCode;
    private int sessions;
    private volatile String firmware = "1.0.0";

    public ChargerModel(String chargerId, long seed) {
        this.chargerId = chargerId;
        this.random = new Random(seed);
        this.maxPowerKw = random.nextBoolean() ? 22.0 : 11.0;
        this.energyKwh = 1000 + random.nextInt(20_000);
    }

    /** Advances the model by {@code step} and returns the telemetry message for {@code now}. */
    public String step(Duration step, Instant now) {
        inState = inState.plus(step);
        double hours = step.toMillis() / 3_600_000.0;
        double power = 0;
        switch (status) {
            case AVAILABLE -> {
                if (random.nextDouble() < 0.02) {
                    enter(Status.PREPARING);
                }
            }
            case PREPARING -> {
                if (inState.toSeconds() >= 20) {
                    sessions++;
                    soc = 10 + random.nextInt(50);
                    sessionEnergyKwh = 0;
                    sessionTargetKwh = 5 + random.nextInt(40);
                    enter(Status.CHARGING);
                }
            }
            case CHARGING -> {
                // constant power until 80 % state of charge, then tapering
                power = soc < 80 ? maxPowerKw * (0.95 + random.nextDouble() * 0.05) : maxPowerKw * (100 - soc) / 20.0;
                double delivered = power * hours;
                energyKwh += delivered;
                sessionEnergyKwh += delivered;
                soc = Math.min(100, soc + delivered / 0.6);
                if (sessionEnergyKwh >= sessionTargetKwh || soc >= 99.5) {
                    enter(Status.FINISHING);
                } else if (random.nextDouble() < 0.0005) {
                    errorCode = random.nextBoolean() ? "GroundFailure" : "OverTemperature";
                    enter(Status.FAULTED);
                }
            }
            case FINISHING -> {
                if (inState.toSeconds() >= 30) {
                    enter(Status.AVAILABLE);
                }
            }
            case FAULTED -> {
                if (inState.toMinutes() >= 2) {
                    errorCode = null;
                    enter(Status.AVAILABLE);
                }
            }
        }
        double voltage = 230 + random.nextGaussian() * 2;
        double current = power * 1000 / (voltage * (maxPowerKw > 11 ? 3 : 1.73));
        temperatureC += ((25 + power * 1.2) - temperatureC) * Math.min(1, hours * 60);
        return String.format(Locale.ROOT,
                "{\"chargerId\":\"%s\",\"timestamp\":\"%s\",\"data\":{\"status\":\"%s\",\"power\":%.2f,"
                        + "\"energy\":%.3f,\"voltage\":%.1f,\"current\":%.1f,\"temperature\":%.1f,\"soc\":%.0f,"
                        + "\"session\":{\"count\":%d,\"energy\":%.3f},\"errorCode\":%s,\"firmware\":\"%s\"}}",
                chargerId, now, status, power, energyKwh, voltage, current, temperatureC,
                status == Status.CHARGING || status == Status.FINISHING ? soc : 0, sessions, sessionEnergyKwh,
                errorCode == null ? "null" : "\"" + errorCode + "\"", firmware);
    }

    private void enter(Status next) {
        status = next;
        inState = Duration.ZERO;
    }

    public Status status() {
        return status;
    }

    public double energyKwh() {
        return energyKwh;
    }

    public double temperatureC() {
        return temperatureC;
    }

    /** The firmware version the charger reports in its telemetry. */
    public String firmware() {
        return firmware;
    }

    public void installFirmware(String version) {
        firmware = version;
    }
}
