// Signs a user up with amazon-cognito-identity-js, then (second run, with
// the code an administrator read from federa's outbox) confirms them and
// signs in. argv: signup | confirm CODE
// env: FEDERA_ENDPOINT, POOL_ID, CLIENT_ID, USER, PASSWORD, EMAIL
import { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } from 'amazon-cognito-identity-js'

const env = process.env
const pool = new CognitoUserPool({ UserPoolId: env.POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.FEDERA_ENDPOINT })
const report = (step, fields) => console.log(JSON.stringify({ step, ...fields }))

try {
  if (process.argv[2] === 'signup') {
    const res = await new Promise((resolve, reject) =>
      pool.signUp(env.USER, env.PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: env.EMAIL })], null,
        (err, r) => (err ? reject(err) : resolve(r))))
    report('signup', { confirmed: res.userConfirmed, sub: res.userSub, destination: res.codeDeliveryDetails?.Destination })
  } else {
    const user = new CognitoUser({ Username: env.USER, Pool: pool })
    try {
      await new Promise((resolve, reject) => user.confirmRegistration('000000', true, (err, r) => (err ? reject(err) : resolve(r))))
      report('wrong-code', { error: null })
    } catch (err) {
      report('wrong-code', { error: err.code })
    }
    const ok = await new Promise((resolve, reject) => user.confirmRegistration(process.argv[3], true, (err, r) => (err ? reject(err) : resolve(r))))
    report('confirm', { result: ok })
    const session = await new Promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: env.USER, Password: env.PASSWORD }), { onSuccess: resolve, onFailure: reject }))
    report('signin', { valid: session.isValid(), email_verified: session.getIdToken().decodePayload().email_verified })
  }
} catch (err) {
  report('error', { error: err.code || String(err), message: err.message })
  process.exitCode = 1
}
