package s3api

import (
	"net/http"
	"strings"
)

// continueEmptyBody answers "Expect: 100-continue" on a request without a
// body with an interim 100 Continue. net/http sends 100 Continue only when a
// handler first reads the body, so for an empty body it never comes, which
// RFC 9110 §10.1.1 allows; but botocore (the aws CLI, boto3), which sends the
// expectation with every PUT, then takes the final response for the interim
// one and misreads the next response on the same kept-alive connection,
// waiting for its read timeout (boto/botocore#3755): an `aws s3 sync` of a
// folder holding an empty file stalled a minute. Sending the interim
// response is also allowed, and every client reads it.
func continueEmptyBody(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength == 0 && r.ProtoAtLeast(1, 1) && strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		w.WriteHeader(http.StatusContinue)
	}
}
