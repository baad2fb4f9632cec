import json
A='123456789012'
SUB='us-east-1:7c1e2a94-3b5d-4f60-9e8a-1d2c3b4a5f60'
ROLE=f'arn:aws:iam::{A}:role/Cognito_AppPoolAuth_Role'
SESS=f'arn:aws:sts::{A}:assumed-role/Cognito_AppPoolAuth_Role/CognitoIdentityCredentials'
USER=f'arn:aws:iam::{A}:user/alice'
BASE={"aws:PrincipalArn":ROLE,"aws:PrincipalAccount":A,"aws:PrincipalType":"AssumedRole","aws:userid":"AROA3XFRBF23EXAMPLE7:CognitoIdentityCredentials","aws:SecureTransport":"true","aws:SourceIp":"203.0.113.25","aws:CurrentTime":"2025-03-15T12:00:00Z","aws:EpochTime":"1742040000","cognito-identity.amazonaws.com:sub":SUB,"cognito-identity.amazonaws.com:amr":["authenticated","cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12Cd34E"]}
out=[]
def case(id,cat,desc,expected,identity=None,cond=None,ctx=None,drop=(),resource=None,session=None,boundary=None,action='s3:GetObject',res='arn:aws:s3:::app-user-files/public/readme.md',principal=SESS,stmt=None):
    st=stmt or {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}
    if cond: st=dict(st,Condition=cond)
    pol={"identity":identity if identity is not None else [{"Version":"2012-10-17","Statement":[st]}]}
    if resource: pol['resource']=[resource]
    if session: pol['session']=[session]
    if boundary: pol['boundary']=[boundary]
    c=dict(BASE); c.update(ctx or {})
    for d in drop: c.pop(d,None)
    out.append({"id":"fed-"+id,"category":cat,"description":desc,"policies":pol,"request":{"principal":principal,"action":action,"resource":res,"resource_account":A,"context":c},"expected":expected})
def doc(*sts): return {"Version":"2012-10-17","Statement":list(sts)}
allow_all=doc({"Effect":"Allow","Action":"s3:*","Resource":"*"})
# sets
case('001-plain-op-on-set','cond-set','A plain operator compares single values: against a multivalued key (a set) it matches nothing.','ImplicitDeny',cond={"StringEquals":{"cognito-identity.amazonaws.com:amr":"authenticated"}})
case('002-plain-negated-op-on-set','cond-set','A negated plain operator does not match a set either.','ImplicitDeny',cond={"StringNotEquals":{"aws:TagKeys":"secret"}},ctx={"aws:TagKeys":["team"]})
case('003-one-element-set','cond-set','A one-element array is still a set: StringEquals does not compare it.','ImplicitDeny',cond={"StringEquals":{"aws:TagKeys":"team"}},ctx={"aws:TagKeys":["team"]})
case('004-null-empty-set-is-present','cond-null','Null tests presence: an empty set is present, so Null false matches.','Allow',cond={"Null":{"aws:TagKeys":"false"}},ctx={"aws:TagKeys":[]})
case('005-null-empty-string-is-present','cond-null','An empty string is a value: Null true does not match it.','ImplicitDeny',cond={"Null":{"aws:PrincipalTag/team":"true"}},ctx={"aws:PrincipalTag/team":""})
case('006-foranyvalue-ifexists-absent','cond-set','ForAnyValue with IfExists still needs a value: an absent key does not match.','ImplicitDeny',cond={"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"team"}})
case('007-forallvalues-negated-empty','cond-set','ForAllValues with a negated operator matches an empty set.','Allow',cond={"ForAllValues:StringNotEquals":{"aws:TagKeys":"secret"}},ctx={"aws:TagKeys":[]})
case('008-foranyvalue-negated-some','cond-set','ForAnyValue:StringNotEquals matches when some value differs from every policy value.','Allow',cond={"ForAnyValue:StringNotEquals":{"aws:TagKeys":"team"}},ctx={"aws:TagKeys":["team","project"]})
# variables
case('010-variable-empty-value-uses-default','variable','A variable whose value is empty falls back to its default.','Allow',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-user-files/${aws:PrincipalTag/team, 'public'}/*"},ctx={"aws:PrincipalTag/team":""})
case('011-variable-empty-value-is-null','variable','A variable whose value is empty and that has no default matches nothing.','ImplicitDeny',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-user-files/${aws:PrincipalTag/team}public/*"},ctx={"aws:PrincipalTag/team":""})
case('012-default-needs-comma-space','variable',"A default is written \", 'value'\"; without the space the whole text is the key, which is absent.",'ImplicitDeny',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-user-files/${aws:PrincipalTag/team,'public'}/*"})
case('013-multivalued-key-is-no-variable','variable','A multivalued key cannot be a policy variable: it matches nothing.','ImplicitDeny',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-user-files/${aws:TagKeys}/*"},ctx={"aws:TagKeys":["public"]})
case('014-variable-key-case-insensitive','variable','Variable names are condition keys: case-insensitive.','Allow',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-user-files/${AWS:PRINCIPALTAG/TEAM}/*"},ctx={"aws:PrincipalTag/team":"public"})
case('015-variable-value-is-literal','variable','A * in a substituted value is literal text, not a wildcard.','ImplicitDeny',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-user-files/${aws:PrincipalTag/team}/readme.md"},ctx={"aws:PrincipalTag/team":"*"})
# types
case('020-numeric-request-not-a-number','cond-numeric','A request value that is not a number matches neither NumericNotEquals nor NumericEquals.','ImplicitDeny',action='s3:ListBucket',res='arn:aws:s3:::app-user-files',stmt={"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"},cond={"NumericNotEquals":{"s3:max-keys":"10"}},ctx={"s3:max-keys":"ten"})
case('021-numeric-decimal','cond-numeric','Numeric operators compare decimals by value: 1000 equals 1000.0.','Allow',action='s3:ListBucket',res='arn:aws:s3:::app-user-files',stmt={"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"},cond={"NumericEquals":{"s3:max-keys":"1000.0"}},ctx={"s3:max-keys":"1000"})
case('022-not-ip-not-an-address','cond-ip','A source that is not an IP address matches neither IpAddress nor NotIpAddress.','ImplicitDeny',cond={"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}},ctx={"aws:SourceIp":"example.com"})
case('023-ipv4-mapped-ipv6','cond-ip','An IPv4-mapped IPv6 address is IPv6: it is in no IPv4 range.','ImplicitDeny',cond={"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}},ctx={"aws:SourceIp":"::ffff:203.0.113.25"})
case('024-ipv6-cidr','cond-ip','IPv6 ranges contain IPv6 addresses, written in any case.','Allow',cond={"IpAddress":{"aws:SourceIp":"2001:db8::/32"}},ctx={"aws:SourceIp":"2001:DB8::1"})
case('025-not-ip-other-family','cond-ip','An IPv6 source is outside an IPv4 range, so NotIpAddress matches.','ExplicitDeny',identity=[doc({"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}})],ctx={"aws:SourceIp":"2001:db8::1"})
case('026-date-year-month','cond-date','W3C date forms include a year and month alone: 2025-03 is 2025-03-01T00:00:00Z.','Allow',cond={"DateGreaterThan":{"aws:CurrentTime":"2025-03"}})
case('027-date-offset','cond-date','Dates with an offset compare as instants: 13:00+01:00 is 12:00Z.','Allow',cond={"DateEquals":{"aws:CurrentTime":"2025-03-15T13:00:00+01:00"}})
case('028-date-request-not-a-date','cond-date','A request value that is not a date matches neither DateNotEquals nor DateEquals.','ImplicitDeny',cond={"DateNotEquals":{"aws:CurrentTime":"2025-01-01T00:00:00Z"}},ctx={"aws:CurrentTime":"yesterday"})
case('029-arn-partial-pattern','cond-arn','An ARN condition value without the six parts of an ARN matches neither ArnLike nor ArnNotLike.','ImplicitDeny',cond={"ArnNotLike":{"aws:PrincipalArn":"arn:aws:*"}})
case('030-arn-condition-case-sensitive','cond-arn','ARN condition operators compare every part with case.','ImplicitDeny',cond={"ArnEquals":{"aws:PrincipalArn":"arn:aws:IAM::123456789012:role/Cognito_AppPoolAuth_Role"}})
case('031-arn-request-not-an-arn','cond-arn','A request value that is not an ARN matches no Arn operator.','ImplicitDeny',cond={"ArnLike":{"aws:SourceArn":"*"}},ctx={"aws:SourceArn":"not-an-arn"})
# actions and resources
case('040-action-service-literal','action','The service prefix of an action takes no wildcard: s*:GetObject matches nothing.','ImplicitDeny',stmt={"Effect":"Allow","Action":"s*:GetObject","Resource":"*"})
case('041-action-service-case','action','The service prefix compares ignoring case.','Allow',stmt={"Effect":"Allow","Action":"S3:Get*","Resource":"*"})
case('042-resource-prefix-case-blind','resource','Partition, service, region and account of a resource ARN compare ignoring case.','Allow',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:AWS:S3:::app-user-files/*"})
case('043-resource-part-case-sensitive','resource','The resource part of an ARN is case-sensitive.','ImplicitDeny',stmt={"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::App-User-Files/*"})
case('044-resource-region-case','resource','The region of a resource ARN compares ignoring case.','Allow',action='execute-api:Invoke',res=f'arn:aws:execute-api:us-east-1:{A}:a1b2c3d4e5/prod/GET/pets',stmt={"Effect":"Allow","Action":"execute-api:Invoke","Resource":f"arn:aws:execute-api:US-EAST-1:{A}:a1b2c3d4e5/*"})
# boundaries
case('050-boundary-intersection','boundary','An identity-policy allow outside the permissions boundary is an implicit deny.','ImplicitDeny',boundary=doc({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}))
case('051-boundary-allows','boundary','An identity-policy allow inside the permissions boundary is allowed.','Allow',boundary=doc({"Effect":"Allow","Action":"s3:Get*","Resource":"*"}))
case('052-boundary-deny','boundary','A Deny in the permissions boundary is an explicit deny.','ExplicitDeny',boundary=doc({"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}))
case('053-boundary-alone-grants-nothing','boundary','A permissions boundary grants nothing by itself.','ImplicitDeny',identity=[],boundary=allow_all)
case('054-boundary-limits-role-grant','boundary','A bucket policy naming the role is limited by the permissions boundary.','ImplicitDeny',identity=[],resource=doc({"Effect":"Allow","Principal":{"AWS":ROLE},"Action":"s3:GetObject","Resource":"*"}),boundary=doc({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}))
case('055-boundary-spares-session-grant','boundary','A bucket policy naming the session ARN is not limited by the permissions boundary.','Allow',identity=[],resource=doc({"Effect":"Allow","Principal":{"AWS":SESS},"Action":"s3:GetObject","Resource":"*"}),boundary=doc({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}))
case('056-boundary-spares-user-grant','boundary','A bucket policy naming the IAM user is not limited by its permissions boundary.','Allow',identity=[],principal=USER,ctx={"aws:PrincipalArn":USER,"aws:PrincipalType":"User","aws:username":"alice"},resource=doc({"Effect":"Allow","Principal":{"AWS":USER},"Action":"s3:GetObject","Resource":"*"}),boundary=doc({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}))
case('057-boundary-spares-public-grant','boundary','A bucket policy granting to everyone is not limited by the permissions boundary.','Allow',identity=[],resource=doc({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}),boundary=doc({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}))
case('058-session-limits-public-grant','session-policy','A bucket policy granting to everyone is limited by the session policy.','ImplicitDeny',identity=[],resource=doc({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}),session=doc({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}))
# principals
case('060-role-from-session-arn','bucket-policy','Without aws:PrincipalArn the role is read from the session ARN: a grant to the role applies.','Allow',identity=[],drop=['aws:PrincipalArn'],resource=doc({"Effect":"Allow","Principal":{"AWS":ROLE},"Action":"s3:GetObject","Resource":"*"}))
case('061-canonical-user-no-match','bucket-policy','A CanonicalUser principal never matches a role session.','ImplicitDeny',identity=[],resource=doc({"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"*"}))
case('062-notprincipal-allow-other','bucket-policy','Allow with NotPrincipal applies to every principal not listed.','Allow',identity=[],resource=doc({"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:GetObject","Resource":"*"}))
case('063-notprincipal-deny-listed','bucket-policy','Deny with NotPrincipal does not apply to a principal it lists.','Allow',identity=[allow_all],resource=doc({"Effect":"Deny","NotPrincipal":{"AWS":[SESS,ROLE]},"Action":"s3:*","Resource":"*"}))
with open('/work/main/internal/policy/testdata/federa-cases.jsonl','w') as f:
    for c in out: f.write(json.dumps(c)+'\n')
print(len(out))
