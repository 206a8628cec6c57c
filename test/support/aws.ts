import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { KMSClient } from '@aws-sdk/client-kms'
import { SQSClient } from '@aws-sdk/client-sqs'

const common = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
}

/** Real SDK clients pointed at the local emulators. */
export const clientsFor = (endpoints: { dynamodb: string; sqs: string; kms: string }) => ({
  dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
  streams: new DynamoDBStreamsClient({ ...common, endpoint: endpoints.dynamodb }),
  sqs: new SQSClient({ ...common, endpoint: endpoints.sqs }),
  kms: new KMSClient({ ...common, endpoint: endpoints.kms }),
})
