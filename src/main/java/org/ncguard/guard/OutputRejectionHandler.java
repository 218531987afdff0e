package org.ncguard.guard;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' production exception handler: a forwarded request the broker refuses for good (too large once the
 * guard's headers are added, not authorised, ...) goes to the dead-letter topic with reason
 * {@code output-rejected} and the guard goes on, instead of failing the application as the default handler does.
 * Retriable errors are retried; a refused verdict or alert is logged and skipped.
 */
public final class OutputRejectionHandler implements ProductionExceptionHandler {

    /** Comma-separated topics whose records are forwarded requests (clean and quarantine). */
    public static final String FORWARDED_TOPICS_CONFIG = "ncguard.forwarded.topics";

    private static final Logger LOG = LoggerFactory.getLogger(OutputRejectionHandler.class);

    private String dlq;
    private Set<String> forwarded = Set.of();

    @Override
    public void configure(Map<String, ?> configs) {
        Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        dlq = t == null ? null : t.toString();
        Object f = configs.get(FORWARDED_TOPICS_CONFIG);
        forwarded = f == null ? Set.of() : Set.of(f.toString().split(","));
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        LOG.warn("the broker refused a record for {} (from {}-{}@{}): {}", record.topic(), context.topic(),
                context.partition(), context.offset(), exception.toString());
        if (dlq == null || !forwarded.contains(record.topic())) {
            return Response.resume();
        }
        ProducerRecord<byte[], byte[]> dead = ExceptionHandlerUtils.buildDeadLetterQueueRecord(dlq,
                context.sourceRawKey(), context.sourceRawValue(), context, exception);
        dead.headers().add(GuardHeaders.DLQ_REASON, DlqReason.OUTPUT_REJECTED.wire().getBytes(StandardCharsets.UTF_8));
        dead.headers().add(GuardHeaders.DLQ_MESSAGE, ("the broker refused the record for " + record.topic() + ": "
                + exception.getMessage()).getBytes(StandardCharsets.UTF_8));
        return Response.resume(List.of(dead));
    }
}
