package iamapi

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/federa/federa/internal/protocol/awsquery"
)

type createOIDCResult struct {
	OpenIDConnectProviderArn string `xml:"OpenIDConnectProviderArn"`
	Tags                     []tag  `xml:"Tags>member,omitempty"`
}

func tagsOf(q awsquery.Values) map[string]string {
	var tags map[string]string
	for _, m := range q.Members("Tags") {
		if tags == nil {
			tags = map[string]string{}
		}
		tags[m.Get("Key")] = m.Get("Value")
	}
	return tags
}

func encodeTags(tags map[string]string) []tag {
	var out []tag
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, tag{k, tags[k]})
	}
	return out
}

func (a api) createOpenIDConnectProvider(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "Url")
	if err != nil {
		return nil, err
	}
	tags := tagsOf(q)
	arn, err := a.svc.CreateOpenIDConnectProvider(ctx, params[0], q.Strings("ClientIDList"), q.Strings("ThumbprintList"), tags)
	if err != nil {
		return nil, err
	}
	return createOIDCResult{OpenIDConnectProviderArn: arn, Tags: encodeTags(tags)}, nil
}

type getOIDCResult struct {
	URL            string   `xml:"Url"`
	ClientIDList   []string `xml:"ClientIDList>member"`
	ThumbprintList []string `xml:"ThumbprintList>member"`
	CreateDate     string   `xml:"CreateDate"`
	Tags           []tag    `xml:"Tags>member,omitempty"`
}

func (a api) getOpenIDConnectProvider(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "OpenIDConnectProviderArn")
	if err != nil {
		return nil, err
	}
	p, err := a.svc.GetOpenIDConnectProvider(ctx, params[0])
	if err != nil {
		return nil, err
	}
	// IAM answers the URL without its scheme.
	u := strings.TrimPrefix(strings.TrimPrefix(p.URL, "https://"), "http://")
	return getOIDCResult{URL: u, ClientIDList: p.ClientIDs, ThumbprintList: p.Thumbprints, CreateDate: isoTime(p.CreatedAt), Tags: encodeTags(p.Tags)}, nil
}

type oidcEntry struct {
	Arn string `xml:"Arn"`
}

type listOIDCResult struct {
	OpenIDConnectProviderList []oidcEntry `xml:"OpenIDConnectProviderList>member"`
}

func (a api) listOpenIDConnectProviders(ctx context.Context, _ awsquery.Values) (any, error) {
	ps, err := a.svc.ListOpenIDConnectProviders(ctx)
	if err != nil {
		return nil, err
	}
	out := listOIDCResult{OpenIDConnectProviderList: []oidcEntry{}}
	for _, p := range ps {
		out.OpenIDConnectProviderList = append(out.OpenIDConnectProviderList, oidcEntry{p.ARN})
	}
	return out, nil
}

func (a api) deleteOpenIDConnectProvider(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "OpenIDConnectProviderArn")
	if err != nil {
		return nil, err
	}
	return struct{}{}, a.svc.DeleteOpenIDConnectProvider(ctx, params[0])
}

func (a api) addClientIDToOpenIDConnectProvider(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "OpenIDConnectProviderArn", "ClientID")
	if err != nil {
		return nil, err
	}
	return struct{}{}, a.svc.UpdateOpenIDConnectProvider(ctx, params[0], params[1], "", nil)
}

func (a api) removeClientIDFromOpenIDConnectProvider(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "OpenIDConnectProviderArn", "ClientID")
	if err != nil {
		return nil, err
	}
	return struct{}{}, a.svc.UpdateOpenIDConnectProvider(ctx, params[0], "", params[1], nil)
}

func (a api) updateOpenIDConnectProviderThumbprint(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "OpenIDConnectProviderArn")
	if err != nil {
		return nil, err
	}
	list := q.Strings("ThumbprintList")
	if list == nil {
		list = []string{}
	}
	return struct{}{}, a.svc.UpdateOpenIDConnectProvider(ctx, params[0], "", "", list)
}
