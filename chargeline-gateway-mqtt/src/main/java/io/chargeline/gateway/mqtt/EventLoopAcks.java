package io.chargeline.gateway.mqtt;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Brings durable outcomes from the ingest writer to one event loop: one task per loop per commit, however many
 * connections of that loop had messages in it, and one flush per connection. This is what keeps the cost of an
 * acknowledgement low when many chargers each have one message in a commit.
 */
final class EventLoopAcks implements Runnable {
    private final EventLoop loop;
    private final Queue<PendingAck> completed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<ClientConnection> touched = new ArrayList<>();

    EventLoopAcks(EventLoop loop) {
        this.loop = loop;
    }

    /** Called by the committing thread. */
    void completed(PendingAck ack) {
        completed.add(ack);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false); // outcomes that arrive from now on schedule another run
        PendingAck ack;
        while ((ack = completed.poll()) != null) {
            ClientConnection connection = ack.connection;
            if (connection.outcomeArrived(ack)) {
                touched.add(connection);
            }
        }
        for (ClientConnection connection : touched) {
            connection.writeReadyAcks();
            connection.flush();
        }
        touched.clear();
    }
}
