package e2e

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// tagsOf returns an object's tags as "k=v" strings in key order, or the error.
func tagsOf(c *s3.Client, b, key string) (string, error) {
	out, err := c.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String(b), Key: aws.String(key)})
	if err != nil {
		return "", err
	}
	var s []string
	for _, t := range out.TagSet {
		s = append(s, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	if !sort.StringsAreSorted(s) {
		return "", fmt.Errorf("tag set not in key order: %v", s)
	}
	return strings.Join(s, "&"), nil
}

func putTags(c *s3.Client, b, key string, kv ...string) error {
	set := []s3types.Tag{}
	for i := 0; i+1 < len(kv); i += 2 {
		set = append(set, s3types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	_, err := c.PutObjectTagging(context.Background(), &s3.PutObjectTaggingInput{Bucket: aws.String(b), Key: aws.String(key), Tagging: &s3types.Tagging{TagSet: set}})
	return err
}

// TestObjectTagging tags objects on upload, on copy and afterwards with
// aws-sdk-go-v2, and checks S3's limits and errors.
func TestObjectTagging(t *testing.T) {
	ctx := context.Background()
	e := newAccessEnv(t)
	const b = "tagged"
	e.bucket(b)
	c := e.root
	must(t, putObject(c, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("doc"), Body: strings.NewReader("v1"), Tagging: aws.String("project=blue&note=two words&empty=")}))
	tags, err := tagsOf(c, b, "doc")
	must(t, err)
	if tags != "empty=&note=two words&project=blue" {
		t.Errorf("tags from x-amz-tagging = %q", tags)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("doc")})
	must(t, err)
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String("doc")})
	must(t, err)
	get.Body.Close()
	if aws.ToInt32(head.TagCount) != 3 || aws.ToInt32(get.TagCount) != 3 {
		t.Errorf("tag count: HEAD %v, GET %v", head.TagCount, get.TagCount)
	}

	// Replacing the tags keeps the bytes, ETag and Last-Modified.
	must(t, putTags(c, b, "doc", "Project", "Green", "Ünïcödé", "ü", "path", "a/b:c@d.e+f=g-h_i"))
	if tags, _ := tagsOf(c, b, "doc"); tags != "Project=Green&path=a/b:c@d.e+f=g-h_i&Ünïcödé=ü" {
		t.Errorf("after PutObjectTagging: %q", tags)
	}
	head2, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("doc")})
	must(t, err)
	if aws.ToString(head2.ETag) != aws.ToString(head.ETag) || !aws.ToTime(head2.LastModified).Equal(aws.ToTime(head.LastModified)) {
		t.Errorf("tagging changed the object: %v %v -> %v %v", head.ETag, head.LastModified, head2.ETag, head2.LastModified)
	}

	// CopyObject: COPY (the default) carries the source's tags, REPLACE
	// takes x-amz-tagging, even none.
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String("copy"), CopySource: aws.String(b + "/doc")})
	must(t, err)
	if tags, _ := tagsOf(c, b, "copy"); !strings.HasPrefix(tags, "Project=Green&") {
		t.Errorf("COPY directive: %q", tags)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String("copy"), CopySource: aws.String(b + "/doc"),
		TaggingDirective: s3types.TaggingDirectiveReplace, Tagging: aws.String("stage=copied")})
	must(t, err)
	if tags, _ := tagsOf(c, b, "copy"); tags != "stage=copied" {
		t.Errorf("REPLACE directive: %q", tags)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String("copy"), CopySource: aws.String(b + "/doc"), TaggingDirective: s3types.TaggingDirectiveReplace})
	must(t, err)
	if tags, _ := tagsOf(c, b, "copy"); tags != "" {
		t.Errorf("REPLACE without tags: %q", tags)
	}

	// An empty set and DeleteObjectTagging both remove the tags.
	must(t, putTags(c, b, "doc"))
	if tags, _ := tagsOf(c, b, "doc"); tags != "" {
		t.Errorf("after an empty set: %q", tags)
	}
	must(t, putTags(c, b, "doc", "a", "1"))
	_, err = c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(b), Key: aws.String("doc")})
	must(t, err)
	head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("doc")})
	must(t, err)
	if tags, _ := tagsOf(c, b, "doc"); tags != "" || head.TagCount != nil {
		t.Errorf("after DeleteObjectTagging: %q, count %v", tags, head.TagCount)
	}

	eleven := make([]string, 0, 22)
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf("k%d", i), "v")
	}
	ten := eleven[:20]
	must(t, putTags(c, b, "doc", ten...))
	errs := []struct {
		name string
		err  error
		code string
	}{
		{"eleven tags", putTags(c, b, "doc", eleven...), "BadRequest"},
		{"duplicate keys", putTags(c, b, "doc", "a", "1", "a", "2"), "InvalidTag"},
		{"aws: prefix", putTags(c, b, "doc", "aws:cloudformation:stack-name", "x"), "InvalidTag"},
		{"129-character key", putTags(c, b, "doc", strings.Repeat("k", 129), "x"), "InvalidTag"},
		{"257-character value", putTags(c, b, "doc", "k", strings.Repeat("v", 257)), "InvalidTag"},
		{"empty key", putTags(c, b, "doc", "", "x"), "InvalidTag"},
		{"character outside the tag set", putTags(c, b, "doc", "k", "a,b"), "InvalidTag"},
		{"missing key", putTags(c, b, "missing", "a", "1"), "NoSuchKey"},
		{"missing bucket", putTags(c, "no-such-bucket", "doc", "a", "1"), "NoSuchBucket"},
		{"header: eleven tags", putObject(c, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("h"), Tagging: aws.String("a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1")}), "BadRequest"},
		{"header: duplicate key", putObject(c, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("h"), Tagging: aws.String("a=1&a=2")}), "InvalidArgument"},
		{"header: not query encoded", putObject(c, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("h"), Tagging: aws.String("TagSet=[{Key=a,Value=b}]")}), "InvalidArgument"},
		{"header: aws: prefix", putObject(c, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("h"), Tagging: aws.String("aws%3Ax=1")}), "InvalidTag"},
		{"copy: unknown directive", func() error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String("c2"), CopySource: aws.String(b + "/doc"), TaggingDirective: "MERGE"})
			return err
		}(), "InvalidArgument"},
	}
	for _, tt := range errs {
		wantErr(t, tt.name, tt.err, tt.code)
	}
	if tags, _ := tagsOf(c, b, "doc"); strings.Count(tags, "=") != 10 {
		t.Errorf("refused updates changed the tags: %q", tags)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("h")})
	wantErr(t, "object of a refused upload", err, "NotFound")
	_, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(b), Key: aws.String("missing")})
	wantErr(t, "GetObjectTagging of a missing key", err, "NoSuchKey")
}

// TestTaggingConditionKeys grants by tags: reads of objects whose existing
// tags allow it (s3:ExistingObjectTag/<key>), uploads whose requested tags
// are allowed (s3:RequestObjectTag/<key>, s3:RequestObjectTagKeys), and the
// extra tagging permissions that tagging on upload and on copy need.
func TestTaggingConditionKeys(t *testing.T) {
	ctx := context.Background()
	e := newAccessEnv(t)
	const b = "tag-acl"
	e.bucket(b)
	for key, tagging := range map[string]string{"pub": "classification=public", "secret": "classification=secret", "plain": ""} {
		in := &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(key)}
		if tagging != "" {
			in.Tagging = aws.String(tagging)
		}
		must(t, putObject(e.root, in))
	}

	_, readerCfg := e.role("tag-reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectTagging"],"Resource":"arn:aws:s3:::tag-acl/*",`+
		`"Condition":{"StringEquals":{"s3:ExistingObjectTag/classification":"public"}}},`+
		`{"Effect":"Allow","Action":"s3:DeleteObjectTagging","Resource":"arn:aws:s3:::tag-acl/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/classification":"public"}}}]}`)
	reader := e.client(readerCfg)
	head := func(key string) error {
		_, err := reader.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String(key)})
		return err
	}
	tagging := func(key string) error { _, err := tagsOf(reader, b, key); return err }
	wantErr(t, "read a public object", getObject(reader, b, "pub"), "")
	wantErr(t, "head a public object", head("pub"), "")
	wantErr(t, "tags of a public object", tagging("pub"), "")
	wantErr(t, "read a secret object", getObject(reader, b, "secret"), "AccessDenied")
	wantErr(t, "head a secret object", head("secret"), "Forbidden")
	wantErr(t, "tags of a secret object", tagging("secret"), "AccessDenied")
	wantErr(t, "read an untagged object", getObject(reader, b, "plain"), "AccessDenied")
	// Retagging by the owner changes what the reader may see at once.
	must(t, putTags(e.root, b, "secret", "classification", "public"))
	wantErr(t, "read a declassified object", getObject(reader, b, "secret"), "")
	// DeleteObjectTagging is decided on the tags it removes: allowed once,
	// then the object no longer carries the tag that allowed it.
	_, err := reader.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(b), Key: aws.String("secret")})
	wantErr(t, "untag a public object", err, "")
	_, err = reader.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(b), Key: aws.String("secret")})
	wantErr(t, "untag it again", err, "AccessDenied")

	_, writerCfg := e.role("tag-writer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectTagging"],"Resource":"arn:aws:s3:::tag-acl/uploads/*",`+
		`"Condition":{"StringEquals":{"s3:RequestObjectTag/team":"ops"},"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["team","env"]}}}]}`)
	writer := e.client(writerCfg)
	up := func(key, tagging string) error {
		in := &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("uploads/" + key)}
		if tagging != "" {
			in.Tagging = aws.String(tagging)
		}
		return putObject(writer, in)
	}
	wantErr(t, "upload tagged team=ops", up("a", "team=ops"), "")
	wantErr(t, "upload tagged team=ops&env=prod", up("b", "team=ops&env=prod"), "")
	wantErr(t, "upload tagged team=dev", up("c", "team=dev"), "AccessDenied")
	wantErr(t, "upload with a tag key not allowed", up("d", "team=ops&owner=me"), "AccessDenied")
	wantErr(t, "upload without tags", up("e", ""), "AccessDenied")
	wantErr(t, "retag team=ops", putTags(writer, b, "uploads/a", "team", "ops", "env", "dev"), "")
	wantErr(t, "retag team=dev", putTags(writer, b, "uploads/a", "team", "dev"), "AccessDenied")

	// Tagging on upload needs s3:PutObjectTagging, and copying a tagged
	// object with its tags needs s3:GetObjectTagging on the source.
	_, copierCfg := e.role("tag-copier", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::tag-acl/*"}]}`)
	copier := e.client(copierCfg)
	cp := func(src, dst string, replace string) error {
		in := &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String(dst), CopySource: aws.String(b + "/" + src)}
		if replace != "-" {
			in.TaggingDirective = s3types.TaggingDirectiveReplace
			if replace != "" {
				in.Tagging = aws.String(replace)
			}
		}
		_, err := copier.CopyObject(ctx, in)
		return err
	}
	wantErr(t, "upload with tags, no PutObjectTagging", putObject(copier, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("c1"), Tagging: aws.String("a=b")}), "AccessDenied")
	wantErr(t, "upload without tags", putObject(copier, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("c1")}), "")
	wantErr(t, "copy an untagged object", cp("plain", "c2", "-"), "")
	wantErr(t, "copy a tagged object with its tags", cp("pub", "c3", "-"), "AccessDenied")
	wantErr(t, "copy a tagged object without its tags", cp("pub", "c4", ""), "")
	wantErr(t, "copy a tagged object with new tags", cp("pub", "c5", "x=y"), "AccessDenied")
}

// TestTagUpdatesRaceOverwrites tags an object while it is being overwritten:
// a tag update must apply to the version it read or be retried, never write
// an old version's record back over a new one. After every tagging the
// object must read back, never older than a version seen before (a stale
// record would point at bytes the overwrite released); at the end it holds
// the last upload's bytes and that upload's tags or a later tagging's.
func TestTagUpdatesRaceOverwrites(t *testing.T) {
	e := newAccessEnv(t)
	const b = "tag-race"
	e.bucket(b)
	rounds := 60
	if testing.Short() {
		rounds = 15
	}
	must(t, putObject(e.root, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("o"), Body: strings.NewReader("0")}))
	version := func() (int, error) {
		out, err := e.root.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String("o")})
		if err != nil {
			return 0, err
		}
		defer out.Body.Close()
		body, err := io.ReadAll(out.Body)
		if err != nil {
			return 0, err
		}
		var v int
		_, err = fmt.Sscan(string(body), &v)
		return v, err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(done)
		for i := 1; i <= rounds; i++ {
			if err := putObject(e.root, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("o"), Body: strings.NewReader(fmt.Sprint(i)),
				Tagging: aws.String(fmt.Sprintf("gen=%d", i))}); err != nil {
				t.Errorf("upload %d: %v", i, err)
			}
		}
	}()
	go func() {
		defer wg.Done()
		seen := 0
		for i := 1; ; i++ {
			if err := putTags(e.root, b, "o", "tagger", fmt.Sprint(i)); err != nil && !isCode(err, "OperationAborted") {
				t.Errorf("tagging %d: %v", i, err)
			}
			v, err := version()
			if err != nil || v < seen {
				t.Errorf("after tagging %d: version %d (had seen %d), %v", i, v, seen, err)
				return
			}
			seen = v
			select {
			case <-done:
				return
			default:
			}
		}
	}()
	wg.Wait()
	v, err := version()
	must(t, err)
	if v != rounds {
		t.Errorf("final version %d, want the last upload's, %d", v, rounds)
	}
	tags, err := tagsOf(e.root, b, "o")
	must(t, err)
	if tags != fmt.Sprintf("gen=%d", rounds) && !strings.HasPrefix(tags, "tagger=") {
		t.Errorf("final tags %q", tags)
	}
}
