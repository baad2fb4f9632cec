// Sets up TOTP MFA for a signed-in user with amazon-cognito-identity-js and
// signs in again answering SOFTWARE_TOKEN_MFA with an authenticator's code.
// env: FEDERA_ENDPOINT, POOL_ID, CLIENT_ID, USER, PASSWORD
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js'
import { totp } from './totp.mjs'

const env = process.env
const pool = new CognitoUserPool({ UserPoolId: env.POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.FEDERA_ENDPOINT })
const report = (step, fields) => console.log(JSON.stringify({ step, ...fields }))
const details = new AuthenticationDetails({ Username: env.USER, Password: env.PASSWORD })

try {
  const user = new CognitoUser({ Username: env.USER, Pool: pool })
  await new Promise((resolve, reject) => user.authenticateUser(details, { onSuccess: resolve, onFailure: reject }))
  const secret = await new Promise((resolve, reject) =>
    user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }))
  const step = Math.floor(Date.now() / 30000)
  await new Promise((resolve, reject) =>
    user.verifySoftwareToken(totp(secret, step), 'phone', { onSuccess: resolve, onFailure: reject }))
  await new Promise((resolve, reject) =>
    user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, (err, r) => (err ? reject(err) : resolve(r))))
  report('setup', { secretLength: secret.length })

  // The code used to verify is spent; the next step's is accepted.
  const again = new CognitoUser({ Username: env.USER, Pool: pool })
  const session = await new Promise((resolve, reject) =>
    again.authenticateUser(details, {
      onSuccess: resolve,
      onFailure: reject,
      totpRequired: (challengeName) => {
        report('challenge', { challengeName })
        again.sendMFACode(totp(secret, step + 1), { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA')
      },
    }))
  report('signin', { valid: session.isValid() })
} catch (err) {
  report('error', { error: err.code || String(err), message: err.message })
  process.exitCode = 1
}
