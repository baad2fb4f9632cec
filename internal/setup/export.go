package setup

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// exportHeader opens every exported file.
const exportHeader = `# federa setup, written by ` + "`federa export`" + `; apply it with ` + "`federa apply -f FILE`" + `.
# Not exported: client secrets (apply makes new ones for clients with
# generateSecret) and user passwords (apply creates these users without one:
# set it with admin-set-user-password, or add password: to the user).
`

// Export reads the account at cfg into a File: everything Apply can set up,
// named by name, with ids in policy documents written as references, so
// that applying the file to a fresh server reproduces the setup. notes are
// what could not be written that way.
func Export(ctx context.Context, cfg aws.Config) (f *File, notes []string, err error) {
	e := &exporter{applier: newApplier(cfg, &File{}, Options{}), refs: map[string]string{}}
	id, err := e.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, nil, fmt.Errorf("who am I (sts GetCallerIdentity): %w", err)
	}
	e.account = aws.ToString(id.Account)
	// Names first, so that what refers to them can be written by name.
	for _, step := range []func(context.Context) error{
		e.exportOIDC, e.exportUserPools, e.exportIdentityPools, e.exportRestAPIs, e.exportPolicies, e.exportRoles,
		e.exportIdentityPoolRoles, e.exportGroupRoles, e.exportBuckets,
	} {
		if err := step(ctx); err != nil {
			return nil, nil, err
		}
	}
	return e.f, e.notes, nil
}

type exporter struct {
	*applier
	// refs maps ids and ARNs to the references that name them.
	refs  map[string]string
	notes []string
	// policyDocs are the managed policies' documents, as read.
	policyDocs []string
	// names of ARNs, ids and provider keys, for structured references.
	roleNames, policyNames, oidcURLs map[string]string
	poolNames                        map[string]string // pool id → name
	clientNames                      map[string]string // client id → pool/client
	apiNames                         map[string]string // REST API id → name
}

func (e *exporter) note(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

// doc turns a server's policy document into the file's.
func (e *exporter) doc(raw string) (Document, error) {
	return documentFromJSON(raw, func(s string) string {
		if ref, ok := e.refs[s]; ok {
			return ref
		}
		return e.apiRef(escape(s, true))
	})
}
