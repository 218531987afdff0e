package org.ncguard.guard;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing exception handler (KIP-1034): a request that fails in the topology goes to the
 * dead-letter topic with its original key, value and headers, Kafka's error headers, and the guard's own
 * {@value GuardHeaders#DLQ_REASON} and {@value GuardHeaders#DLQ_MESSAGE}; the application resumes with the next
 * record.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    /** Reason header value for a failure that is not a {@link MalformedRequestException}. */
    public static final String PROCESSING_ERROR = "processing-error";

    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        topic = t == null ? null : t.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (earlierSendFailed(exception)) {
            // The broker refused a record sent before this one; it surfaces while this one is processed. Dead-lettering
            // this record would lose that one: fail the task, which retries from the last commit.
            LOG.warn("an earlier output of {}-{} was refused ({}); the task retries from its last commit",
                    context.topic(), context.partition(), exception.getMessage());
            return Response.fail();
        }
        String reason = exception instanceof MalformedRequestException m ? m.reason().wire() : PROCESSING_ERROR;
        if (!(exception instanceof MalformedRequestException)) {
            LOG.warn("request at {}-{}@{} failed in {}; sent to the dead-letter topic", context.topic(),
                    context.partition(), context.offset(), context.processorNodeId(), exception);
        }
        if (topic == null) {
            LOG.error("no dead-letter topic configured ({}); dropping {}-{}@{} ({})",
                    StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, context.topic(), context.partition(),
                    context.offset(), reason);
            return Response.resume();
        }
        ProducerRecord<byte[], byte[]> dlq = ExceptionHandlerUtils.buildDeadLetterQueueRecord(topic,
                context.sourceRawKey(), context.sourceRawValue(), context, exception);
        dlq.headers().remove(GuardHeaders.DLQ_REASON).remove(GuardHeaders.DLQ_MESSAGE);
        dlq.headers().add(GuardHeaders.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        dlq.headers().add(GuardHeaders.DLQ_MESSAGE,
                String.valueOf(exception.getMessage()).getBytes(StandardCharsets.UTF_8));
        return Response.resume(List.of(dlq));
    }

    /** Whether {@code exception} is a send refused by the broker (too large for its topic), not this record's fault. */
    static boolean earlierSendFailed(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
