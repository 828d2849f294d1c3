package io.chargeline.gateway.mqtt;

/** A charger's will: ingested like a publish to its telemetry topic when its connection ends abnormally. */
record Will(String topic, byte[] payload) {}
