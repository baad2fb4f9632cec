// Signs in to a federa user pool with amazon-cognito-identity-js, the
// library Amplify and the seeds' browser apps use: real SRP
// (USER_SRP_AUTH + PASSWORD_VERIFIER), session refresh, the
// NEW_PASSWORD_REQUIRED challenge, and a wrong password. Prints one JSON
// line per step for the Go test to check.
//
// env: FEDERA_ENDPOINT, POOL_ID, CLIENT_ID, USER, PASSWORD, TEMP_USER,
//      TEMP_PASSWORD, NEW_PASSWORD
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
} from 'amazon-cognito-identity-js'

const env = process.env
const pool = new CognitoUserPool({ UserPoolId: env.POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.FEDERA_ENDPOINT })

function report(step, fields) {
  console.log(JSON.stringify({ step, ...fields }))
}

function signIn(username, password, onNewPassword) {
  const user = new CognitoUser({ Username: username, Pool: pool })
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: (err) => reject(err),
      newPasswordRequired: (userAttributes, requiredAttributes) => {
        if (!onNewPassword) return reject(new Error('unexpected NEW_PASSWORD_REQUIRED'))
        report('new-password-required', { userAttributes, requiredAttributes })
        user.completeNewPasswordChallenge(onNewPassword, {}, {
          onSuccess: (session) => resolve({ user, session }),
          onFailure: (err) => reject(err),
        })
      },
    })
  })
}

function claims(session) {
  const p = session.getIdToken().decodePayload()
  return { username: p['cognito:username'], token_use: p.token_use, aud: p.aud }
}

try {
  const { user, session } = await signIn(env.USER, env.PASSWORD)
  report('srp', { valid: session.isValid(), ...claims(session) })

  const refreshed = await new Promise((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))))
  report('refresh', { valid: refreshed.isValid(), changed: refreshed.getAccessToken().getJwtToken() !== session.getAccessToken().getJwtToken(), ...claims(refreshed) })

  const temp = await signIn(env.TEMP_USER, env.TEMP_PASSWORD, env.NEW_PASSWORD)
  report('new-password', { valid: temp.session.isValid(), ...claims(temp.session) })
  const again = await signIn(env.TEMP_USER, env.NEW_PASSWORD)
  report('new-password-again', { valid: again.session.isValid() })

  try {
    await signIn(env.USER, env.PASSWORD + 'x')
    report('wrong-password', { error: null })
  } catch (err) {
    report('wrong-password', { error: err.code, message: err.message })
  }
  try {
    await signIn('nobody-' + Date.now(), env.PASSWORD)
    report('unknown-user', { error: null })
  } catch (err) {
    report('unknown-user', { error: err.code, message: err.message })
  }
} catch (err) {
  report('error', { error: err.code || String(err), message: err.message })
  process.exitCode = 1
}
