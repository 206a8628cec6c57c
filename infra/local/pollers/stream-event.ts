import type {
  AttributeValue as SdkAttributeValue,
  _Record as SdkRecord,
} from '@aws-sdk/client-dynamodb-streams'
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda'

type Image = Record<string, SdkAttributeValue>

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

const attributeValue = (value: SdkAttributeValue): AttributeValue => {
  if (value.B !== undefined) return { B: base64(value.B) }
  if (value.BS !== undefined) return { BS: value.BS.map(base64) }
  if (value.M !== undefined) return { M: image(value.M) }
  if (value.L !== undefined) return { L: value.L.map(attributeValue) }
  return value as AttributeValue
}

const image = (values: Image): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(values).map(([name, v]) => [name, attributeValue(v)]))

const optionalImage = (name: 'Keys' | 'NewImage' | 'OldImage', values: Image | undefined) =>
  values ? { [name]: image(values) } : {}

/**
 * Converts a GetRecords record to the shape Lambda's stream event source delivers: epoch seconds
 * for `ApproximateCreationDateTime`, base64 for binary values, and the stream ARN.
 */
export const streamRecord = (record: SdkRecord, streamArn: string): DynamoDBRecord => {
  const {
    ApproximateCreationDateTime: created,
    Keys,
    NewImage,
    OldImage,
    ...rest
  } = record.dynamodb ?? {}
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(created && { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
      ...optionalImage('Keys', Keys),
      ...optionalImage('NewImage', NewImage),
      ...optionalImage('OldImage', OldImage),
      ...rest,
    },
    eventSourceARN: streamArn,
    ...(record.userIdentity && { userIdentity: record.userIdentity }),
  }
}
