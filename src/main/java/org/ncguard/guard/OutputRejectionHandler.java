package org.ncguard.guard;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' production exception handler. A record the broker refuses as too large (its topic's limit shrank
 * after the guard read it) marks the instance's {@link ForwardLimit} for a re-read and fails the task: Kafka Streams
 * replaces the thread and retries from the last commit, and the request, now over the limit, goes to the dead-letter
 * topic from inside the topology (reason {@code output-rejected}). Dead-letter records are not sent from here: the handler runs
 * in the producer's callback, where a send to a topic the producer has no metadata for blocks until it times out.
 * Retriable errors are retried; anything else fails the task as the default handler does.
 */
public final class OutputRejectionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OutputRejectionHandler.class);

    private ForwardLimit limit;

    @Override
    public void configure(Map<String, ?> configs) {
        Object l = configs.get(ForwardLimit.CONFIG);
        limit = l instanceof ForwardLimit f ? f : null;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (exception instanceof RecordTooLargeException && limit != null) {
            limit.refused();
            LOG.warn("the broker refused a record for {} (from {}-{}@{}) as too large; the task retries with the "
                    + "topics' limit read again", record.topic(), context.topic(), context.partition(),
                    context.offset());
        }
        return Response.fail();
    }
}
