/** Fires as soon as a dead-letter queue holds a message: each one is work that was given up on. */
export const deadLetterAlarm = (name: string, queue: sst.aws.Queue) =>
  new aws.cloudwatch.MetricAlarm(name, {
    alarmDescription: `Messages in ${name.replace(/Alarm$/, '')}: inspect and redrive`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: queue.nodes.queue.name },
    statistic: 'Maximum',
    period: 300,
    evaluationPeriods: 1,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 0,
    treatMissingData: 'notBreaching',
  })
