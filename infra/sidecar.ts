import { runner as shape } from './resources'
import { runnerSecret } from './secrets'

// NAT instances (one t4g.nano per AZ, about $3/month each) rather than NAT gateways (about
// $33/month each): functions and runner need the internet for MCP servers, npm and AWS APIs.
export const vpc = new sst.aws.Vpc('Vpc', { az: 2, nat: 'ec2' })

const runnerSecurityGroup = new aws.ec2.SecurityGroup('RunnerSecurityGroup', {
  description: 'Hangar stdio runner: its port is open only to the functions',
  vpcId: vpc.id,
  ingress: [
    {
      protocol: 'tcp',
      fromPort: shape.port,
      toPort: shape.port,
      securityGroups: vpc.securityGroups,
    },
  ],
  egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
})

// Given the Vpc component itself, a cluster puts tasks in public subnets with public IPs; spelled
// out, tasks run in the private subnets behind the runner's own security group.
export const cluster = new sst.aws.Cluster('Cluster', {
  vpc: {
    id: vpc.id,
    securityGroups: [runnerSecurityGroup.id],
    containerSubnets: vpc.privateSubnets,
    loadBalancerSubnets: vpc.publicSubnets,
    cloudmapNamespaceId: vpc.nodes.cloudmapNamespace.id,
    cloudmapNamespaceName: vpc.nodes.cloudmapNamespace.name,
  },
})

// Linking the secret would write it into the task definition's plain environment; ECS reads a
// SecureString parameter at task start instead.
const runnerSecretParameter = new aws.ssm.Parameter('RunnerSecretParameter', {
  name: `/${$app.name}/${$app.stage}/runner-secret`,
  type: 'SecureString',
  value: runnerSecret.value,
})

const healthProbe = `fetch('http://127.0.0.1:${shape.port}${shape.healthPath}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`

// One task: the runner keeps its stdio processes in memory, and a second task would start every
// server twice. 0.5 vCPU / 1 GB: each stdio MCP server is a child process (node or python,
// 50-150 MB), at most HANGAR_RUNNER_MAX_PROCESSES (20) of them, most of them idle.
//
// The task holds no AWS permission at all: no link, no permissions, and no task role, so nothing
// in the container (a hostile child included) finds credentials at the ECS credentials endpoint.
// The functions send each server's launch spec, its env sealed, with every request. SST creates a
// task role for every service (with ECS Exec's ssmmessages actions); it is emptied and left
// unattached. The execution role, which ECS itself uses to pull the image and read the secret
// parameter at task start, is not the task's.
export const runner = new sst.aws.Service('Runner', {
  cluster,
  architecture: 'arm64',
  cpu: '0.5 vCPU',
  memory: '1 GB',
  image: { context: '.', dockerfile: 'Dockerfile' },
  environment: {
    RUNNER_HOST: '0.0.0.0',
    RUNNER_PORT: String(shape.port),
  },
  ssm: { HANGAR_RUNNER_SECRET: runnerSecretParameter.arn },
  health: {
    command: ['CMD', 'node', '-e', healthProbe],
    startPeriod: '30 seconds',
    interval: '30 seconds',
    timeout: '5 seconds',
    retries: 3,
  },
  transform: {
    taskRole: { inlinePolicies: [], managedPolicyArns: [] },
    taskDefinition: { taskRoleArn: undefined },
    service: { enableExecuteCommand: false },
  },
})

/** Resolved through Cloud Map inside the VPC; nothing outside it can reach the runner. */
export const runnerUrl = $interpolate`http://${runner.service}:${shape.port}`
