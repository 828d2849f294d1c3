package io.chargeline.broker.hivemq;

import com.hivemq.extension.sdk.api.interceptor.puback.PubackInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.suback.SubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.chargeline.core.command.CommandInbox;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One charger connection's side of command delivery: remembers which packet id carried which command, turns the
 * charger's PUBACK into DELIVERED, and reports a granted subscription so waiting commands go out.
 */
final class CommandAcks implements PublishOutboundInterceptor, PubackInboundInterceptor, SubackOutboundInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandAcks.class);

    private final CommandInbox commands;
    /** Packet id to command id, for this connection's unacknowledged commands (bounded by its in-flight window). */
    private final Map<Integer, String> inFlight = new ConcurrentHashMap<>();

    CommandAcks(CommandInbox commands) {
        this.commands = commands;
    }

    @Override
    public void onOutboundPublish(PublishOutboundInput input, PublishOutboundOutput output) {
        if (input.getPublishPacket().getQos() == Qos.AT_MOST_ONCE) {
            return;
        }
        String commandId = CommandTopics.sentCommand(input.getClientInformation().getClientId(),
                input.getPublishPacket().getTopic());
        if (commandId != null) {
            inFlight.put(input.getPublishPacket().getPacketId(), commandId);
        }
    }

    @Override
    public void onInboundPuback(PubackInboundInput input, PubackInboundOutput output) {
        String commandId = inFlight.remove(input.getPubackPacket().getPacketIdentifier());
        if (commandId == null) {
            return;
        }
        String chargerId = input.getClientInformation().getClientId();
        AckReasonCode code = input.getPubackPacket().getReasonCode();
        if (code == AckReasonCode.SUCCESS || code == AckReasonCode.NO_MATCHING_SUBSCRIBERS) {
            commands.delivered(chargerId, commandId);
        } else {
            LOG.info("{} answered command {} with PUBACK {}; it is sent again on the next connection", chargerId,
                    commandId, code);
        }
    }

    @Override
    public void onOutboundSuback(SubackOutboundInput input, SubackOutboundOutput output) {
        for (SubackReasonCode code : input.getSubackPacket().getReasonCodes()) {
            if (code == SubackReasonCode.GRANTED_QOS_0 || code == SubackReasonCode.GRANTED_QOS_1
                    || code == SubackReasonCode.GRANTED_QOS_2) {
                commands.subscribed(input.getClientInformation().getClientId());
                return;
            }
        }
    }
}
