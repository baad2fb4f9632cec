// Reads JSONL cases (federa SCHEMA) on stdin; writes each case with "oracle" set.
import { loadPolicy } from '@cloud-copilot/iam-policy'
import readline from 'node:readline'
const base = './node_modules/@cloud-copilot/iam-simulate/dist/esm/'
const { authorize } = await import(base + 'core_engine/CoreSimulatorEngine.js')
const { DiscoveryContextKeyConstraints } = await import(base + 'context_keys/discoveryContextKeyConstraints.js')
const { AwsRequestImpl } = await import(base + 'request/request.js')
const { RequestContextImpl } = await import(base + 'requestContext.js')
const rl = readline.createInterface({ input: process.stdin })
const map = { Allowed: 'Allow', ImplicitlyDenied: 'ImplicitDeny', ExplicitlyDenied: 'ExplicitDeny' }
for await (const line of rl) {
  if (!line.trim()) continue
  const c = JSON.parse(line)
  let out
  try {
    const req = new AwsRequestImpl(c.request.principal, { resource: c.request.resource, accountId: c.request.resource_account || '123456789012' }, c.request.action, new RequestContextImpl(c.request.context || {}))
    const a = authorize({
      request: req,
      sessionPolicy: c.policies.session?.length ? loadPolicy(c.policies.session[0], { name: 'sp' }) : undefined,
      identityPolicies: (c.policies.identity || []).map((p, i) => loadPolicy(p, { name: 'p' + i })),
      serviceControlPolicies: [], resourceControlPolicies: [],
      resourcePolicy: c.policies.resource?.length ? loadPolicy(c.policies.resource[0], { name: 'rp' }) : undefined,
      permissionBoundaries: c.policies.boundary?.length ? c.policies.boundary.map((p, i) => loadPolicy(p, { name: 'b' + i })) : undefined,
      vpcEndpointPolicies: undefined,
      simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
      serviceSettings: { s3: {} },
    })
    out = map[a.result] || JSON.stringify(a.result).slice(0, 200)
  } catch (e) { out = 'THROW:' + e.message }
  c.oracle = out
  console.log(JSON.stringify(c))
}
