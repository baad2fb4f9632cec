import json, random, sys, copy
seed=int(sys.argv[1]); n=int(sys.argv[2]); R=random.Random(seed)
A='123456789012'
SUB='us-east-1:7c1e2a94-3b5d-4f60-9e8a-1d2c3b4a5f60'
AUD='us-east-1:0f3a6c2e-5b7d-4e91-a8c4-2d6e9f1b3a70'
ROLE=f'arn:aws:iam::{A}:role/Cognito_AppPoolAuth_Role'
SESS=f'arn:aws:sts::{A}:assumed-role/Cognito_AppPoolAuth_Role/CognitoIdentityCredentials'
USER=f'arn:aws:iam::{A}:user/alice'
BASE={"aws:PrincipalArn":ROLE,"aws:PrincipalAccount":A,"aws:PrincipalType":"AssumedRole","aws:userid":"AROA3XFRBF23EXAMPLE7:CognitoIdentityCredentials","aws:FederatedProvider":"cognito-identity.amazonaws.com","aws:SecureTransport":"true","aws:SourceIp":"203.0.113.25","aws:CurrentTime":"2025-03-15T12:00:00Z","aws:EpochTime":"1742040000","aws:TokenIssueTime":"2025-03-15T11:45:00Z","cognito-identity.amazonaws.com:sub":SUB,"cognito-identity.amazonaws.com:aud":AUD,"cognito-identity.amazonaws.com:amr":["authenticated","cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12Cd34E","cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab12Cd34E:CognitoSignIn:5f2b8c1d"]}
def ch(*a): return R.choice(a)
ACTIONS=['s3:GetObject','s3:PutObject','s3:ListBucket','s3:DeleteObject','execute-api:Invoke','dynamodb:GetItem','s3:GetObjectTagging']
APAT=['s3:*Object*','S3:*','*:*','s3:Get?bject','execute-api:Invoke','s3:GetObject','s3:*','s3:Get*','S3:getobject','s3:?etObject','*','s3:*Object','execute-api:*','s3:List*','dynamodb:*','s3:Put*','s3:GetObject*','s3:*Tag*','s3:g*t*','s3:GetObjec?','s3:','s3:**']
VARS=['${aws:CurrentTime}','${aws:EpochTime}','${aws:FederatedProvider}','${aws:PrincipalType}','${aws:SourceIp}','${aws:PrincipalTag/team}-${aws:PrincipalTag/project}','${cognito-identity.amazonaws.com:sub}','${aws:username}','${aws:userid}','${aws:PrincipalTag/team}','${s3:prefix}','${*}','${?}','${$}',"${aws:PrincipalTag/team, 'eng'}","${aws:username,'nobody'}",'${aws:SourceIp}','${aws:principaltag/TEAM}','${cognito-identity.amazonaws.com:aud}','${aws:PrincipalAccount}','${AWS:USERID}']
def resource_for(action):
    if action.startswith('s3:ListBucket'): return 'arn:aws:s3:::app-user-files'
    if action.startswith('s3:'): return ch(f'arn:aws:s3:::app-user-files/{SUB}/photos/cat.jpg','arn:aws:s3:::app-user-files/public/readme.md','arn:aws:s3:::app-user-files/eng/x.txt','arn:aws:s3:::app-user-files/alice/a.txt','arn:aws:s3:::app-user-files/203.0.113.25/x')
    if action.startswith('execute-api'): return ch(f'arn:aws:execute-api:us-east-1:{A}:a1b2c3d4e5/prod/GET/pets/1',f'arn:aws:execute-api:us-east-1:{A}:a1b2c3d4e5/dev/POST/notes')
    return f'arn:aws:dynamodb:us-east-1:{A}:table/Notes'
def rpat():
    v=R.random()
    if v<0.15: return '*'
    base=ch('arn:aws:s3:::app-user-files/*','arn:aws:s3:::app-user-files','arn:aws:s3:::app-user-files/public/*','arn:aws:s3:::app-user-files/VAR/*','arn:aws:s3:::*/VAR/*','arn:aws:s3:::app-user-files/VAR*','arn:aws:s3:::other/VAR/a?b','arn:aws:s3:::app-user-files/?ublic/*','arn:aws:s3:::App-User-Files/*',
        f'arn:aws:execute-api:us-east-1:{A}:a1b2c3d4e5/*/GET/*','arn:aws:execute-api:*:*:a1b2c3d4e5/prod/*',f'arn:aws:dynamodb:us-east-1:{A}:table/*','arn:aws:dynamodb:*:*:table/Notes','arn:aws:*:*:*:*','arn:aws:s3:::app-user-files/*/photos/*','arn:aws:s3:*:*:app-user-files/*','ARN:AWS:S3:::app-user-files/*','arn:aws:S3:::App-user-files/*','arn:aws:execute-api:US-EAST-1:123456789012:a1b2c3d4e5/*','arn:aws:s3:::app-user-files/${aws:userid}','arn:aws:s3:::app-user-files/*${aws:PrincipalTag/team}*','arn:aws:s3:::app-user-files/${*}','arn:aws:s3:::app-user-files/${aws:PrincipalTag/team, '+"'pub'"+'}*')
    return base.replace('VAR',ch(*VARS))
def one_or_list(xs):
    return xs[0] if len(xs)==1 and R.random()<0.5 else xs
STR_KEYS={'aws:PrincipalTag/team':['eng','Eng','ops','sales*','e*','${aws:PrincipalTag/project}','','*'],
 's3:prefix':['photos/*','docs/','','${cognito-identity.amazonaws.com:sub}/*','photos/','${aws:username}/*',"${aws:username,'x'}/*",'${*}'],
 'aws:userid':['AROA3XFRBF23EXAMPLE7:*','AROA*','*:CognitoIdentityCredentials'],
 'cognito-identity.amazonaws.com:aud':[AUD,'us-east-1:*'],
 'cognito-identity.amazonaws.com:amr':['authenticated','unauthenticated','*authenticated','cognito-idp.*'],
 'aws:TagKeys':['team','project','cost-center','*','t*'],
 'aws:PrincipalType':['AssumedRole','assumedrole','User'],
 'aws:username':['alice','${aws:username}','a*'],
 'aws:RequestTag/env':['prod','dev','${aws:PrincipalTag/team}'],'aws:PrincipalArn':['arn:aws:iam::123456789012:role/Cognito_*','*Role','arn:aws:iam::${aws:PrincipalAccount}:role/*'],'aws:SourceIp':['203.0.113.*','203.0.113.25'],'aws:CurrentTime':['2025-03-15*','2025-03-15T12:00:00Z'],'aws:SecureTransport':['true','True']}
def cond():
    fam=R.random()
    ifx=R.random()<0.25
    setop=''
    if fam<0.35:
        op=ch('StringEquals','StringNotEquals','StringEqualsIgnoreCase','StringNotEqualsIgnoreCase','StringLike','StringNotLike')
        key=ch(*STR_KEYS); vals=R.sample(STR_KEYS[key],R.randint(1,2))
        if R.random()<0.35: setop=ch('ForAnyValue:','ForAllValues:')
    elif fam<0.45:
        op=ch('NumericEquals','NumericNotEquals','NumericLessThan','NumericLessThanEquals','NumericGreaterThan','NumericGreaterThanEquals')
        key=ch('s3:max-keys','s3:max-keys','aws:MultiFactorAuthAge'); vals=R.sample(['100','1000','-5','10.5','1000.0',1000,'0','.5'],R.randint(1,2))
        if R.random()<0.15: setop=ch('ForAnyValue:','ForAllValues:')
    elif fam<0.57:
        if R.random()<0.1: setop=ch('ForAnyValue:','ForAllValues:')
        op=ch('DateEquals','DateNotEquals','DateLessThan','DateLessThanEquals','DateGreaterThan','DateGreaterThanEquals')
        key=ch('aws:CurrentTime','aws:TokenIssueTime','aws:EpochTime')
        vals=R.sample(['2025-03-15T12:00:00+00:00','2025-03-15T12:00Z','2025-03-15T11:00:00-01:00','2025-03-15T12:00:00.5Z','2025-03','2025','2025-06-30T00:00:00Z','2025-03-15','1742040000','1767225600','2025-03-15T12:00:00.000Z','2025-03-15T13:00:00+01:00','2024-12-31T23:59:59Z','1742040000000',1742040000],R.randint(1,2))
    elif fam<0.64:
        op='Bool'; key=ch('aws:SecureTransport','aws:MultiFactorAuthPresent','aws:ViaAWSService'); vals=[ch('true','false','True','FALSE',True,False)]
    elif fam<0.75:
        op=ch('IpAddress','NotIpAddress'); key='aws:SourceIp'
        vals=R.sample(['203.0.113.0/24','203.0.113.25','203.0.113.25/32','198.51.100.0/24','0.0.0.0/0','::/0','2001:db8::/32','2001:db8::1/128','203.0.0.0/8','::ffff:203.0.113.0/120'],R.randint(1,2))
    elif fam<0.85:
        op=ch('ArnEquals','ArnLike','ArnNotEquals','ArnNotLike'); key=ch('aws:PrincipalArn','aws:SourceArn')
        vals=R.sample([ROLE,f'arn:aws:iam::{A}:role/Cognito_*','arn:aws:iam::*:role/*','arn:aws:iam::123456789012:*','arn:aws:iam:*:*:role/Cognito_AppPoolAuth_Role','arn:aws:iam::123456789012:role/cognito_apppoolauth_role','arn:aws:iam::123456789012:role/*/x','arn:aws:*','*',f'arn:aws:iam::{A}:role/Cognito_AppPoolAuth_Rol?','arn:aws:iam::${aws:PrincipalAccount}:role/*'],R.randint(1,2))
        if R.random()<0.1: setop=ch('ForAnyValue:','ForAllValues:')
    elif fam<0.95:
        op='Null'; key=ch('aws:PrincipalTag/team','aws:TagKeys','aws:username','s3:prefix','aws:SourceIp'); vals=[ch('true','false',True,False)]; ifx=False
    else:
        op='BinaryEquals'; key=ch('aws:PrincipalTag/bin','aws:PrincipalTag/team'); vals=[ch('ZW5n','b3Bz')]
    if ifx and op!='Null': op+='IfExists'
    if R.random()<0.15: key=ch(key.upper(),key.lower())
    return setop+op,key,one_or_list(vals)
def statement(kind):
    st={}
    if R.random()<0.3: st['Sid']='S'+str(R.randint(0,10**9))
    st['Effect']='Deny' if R.random()<0.3 else 'Allow'
    if kind!='identity':
        pk='NotPrincipal' if R.random()<0.12 else 'Principal'
        opts=['*',{'AWS':'*'},{'AWS':ROLE},{'AWS':SESS},{'AWS':f'arn:aws:iam::{A}:root'},{'AWS':A},{'AWS':'arn:aws:iam::999999999999:root'},{'AWS':USER},{'Service':'s3.amazonaws.com'},{'Federated':'cognito-identity.amazonaws.com'},{'CanonicalUser':'79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'},{'AWS':[ROLE,SESS]},{'AWS':[SESS,f'arn:aws:iam::{A}:root']},{'AWS':[ROLE,SESS,A]},{'AWS':f'arn:aws:iam::{A}:role/*'},{'AWS':'arn:aws:iam::999999999999:role/Other'},{'AWS':f'arn:aws:sts::{A}:assumed-role/Cognito_AppPoolAuth_Role/*'},{'AWS':[USER,A]},{'AWS':f'arn:aws:iam::{A}:user/*'},{'AWS':['*']}]
        if kind=='trust': opts+= [{'Federated':'cognito-identity.amazonaws.com'}]*4+[{'Federated':'accounts.google.com'}]
        st[pk]=ch(*opts)
    acts=R.sample(APAT+['S3:GetObject','s3:getObject','s3:GetObject*','S3:Get?bject','dynamodb:Get*'],R.randint(1,2))
    if kind=='trust': acts=R.sample(['sts:AssumeRoleWithWebIdentity','sts:AssumeRole','sts:*','sts:AssumeRole*','*','STS:assumerolewithwebidentity'],R.randint(1,2))
    st['NotAction' if R.random()<0.12 else 'Action']=one_or_list(acts)
    if kind!='trust':
        st['NotResource' if R.random()<0.12 else 'Resource']=one_or_list([rpat() for _ in range(R.randint(1,2))])
    if R.random()<0.55:
        c={}
        for _ in range(R.randint(1,2)):
            op,k,v=cond(); c.setdefault(op,{})[k]=v
        st['Condition']=c
    return st
def doc(kind):
    d={}
    v=R.random()
    if v<0.8: d['Version']='2012-10-17'
    elif v<0.9: d['Version']='2008-10-17'
    sts=[statement(kind) for _ in range(R.randint(1,3))]
    d['Statement']=sts[0] if len(sts)==1 and R.random()<0.3 else sts
    return d
def context(principal_kind):
    ctx=copy.deepcopy(BASE)
    if principal_kind=='user':
        ctx.update({'aws:PrincipalArn':USER,'aws:PrincipalType':'User','aws:userid':'AIDAEXAMPLE','aws:username':'alice'})
        for k in ['aws:FederatedProvider','aws:TokenIssueTime','cognito-identity.amazonaws.com:sub','cognito-identity.amazonaws.com:aud','cognito-identity.amazonaws.com:amr']: ctx.pop(k)
    if principal_kind=='web':
        for k in ['aws:PrincipalArn','aws:PrincipalAccount','aws:PrincipalType','aws:userid','aws:FederatedProvider','aws:TokenIssueTime']: ctx.pop(k)
    if R.random()<0.5: ctx['aws:PrincipalTag/team']=ch('eng','Eng','ops','sales','engineering','')
    if R.random()<0.2: ctx['aws:PrincipalTag/project']=ch('eng','apollo')
    if R.random()<0.4: ctx['aws:TagKeys']=ch([],['team'],['team','project'],['team','cost-center'],['t1'])
    if R.random()<0.3: ctx['s3:prefix']=ch('photos/','docs/',SUB+'/','','photos/2024/','alice/')
    if R.random()<0.3: ctx['s3:max-keys']=ch('100','1000','50','abc','1000.00')
    if R.random()<0.2: ctx['aws:SourceIp']=ch('2001:db8::1','198.51.100.7','::ffff:203.0.113.25','10.0.0.1')
    if R.random()<0.15: ctx['aws:SecureTransport']='false'
    if R.random()<0.1: ctx['aws:MultiFactorAuthPresent']=ch('true','false')
    if R.random()<0.1: ctx['aws:PrincipalTag/bin']='ZW5n'
    if R.random()<0.1: ctx['aws:RequestTag/env']=ch('prod','eng')
    if R.random()<0.1: ctx['cognito-identity.amazonaws.com:amr']=ch(['unauthenticated'],[])
    if R.random()<0.1: ctx['aws:SourceArn']=ROLE
    if R.random()<0.1: ctx['aws:CurrentTime']=ch('2025-06-30T00:00:00Z','2026-02-01T00:00:00Z','2025-03-15T12:00:00.000Z','2025-03-15T13:00:00+01:00','1742040000')
    if R.random()<0.1: ctx['aws:EpochTime']=ch('1742040000','2025-03-15T12:00:00Z','1742040000.5')
    if R.random()<0.05: ctx['aws:PrincipalTag/team']=ch('a*b','${x}','eng?')
    return ctx
out=sys.stdout
for i in range(n):
    kind=R.random()
    c={'id':f'fz-{seed}-{i}','category':'fuzz','description':'generated','policies':{}}
    if kind<0.12:
        c['policies']['identity']=[]
        c['policies']['resource']=[doc('trust')]
        c['request']={'principal':'cognito-identity.amazonaws.com','action':ch('sts:AssumeRoleWithWebIdentity','sts:AssumeRoleWithWebIdentity','sts:AssumeRole'),'resource':ROLE,'resource_account':A,'context':context('web')}
        c['request']['action']='sts:AssumeRoleWithWebIdentity'
        c['request']={**c['request']}
    else:
        pk='user' if R.random()<0.15 else 'role'
        act=ch(*ACTIONS)
        if R.random()<0.05: act='sts:AssumeRole'
        c['policies']['identity']=[doc('identity') for _ in range(R.randint(0,2))]
        if R.random()<0.35 or act=='sts:AssumeRole': c['policies']['resource']=[doc('resource')]
        if pk=='role' and R.random()<0.2: c['policies']['session']=[doc('identity')]
        if R.random()<0.2: c['policies']['boundary']=[doc('identity')]
        res=resource_for(act) if act!='sts:AssumeRole' else f'arn:aws:iam::{A}:role/Target'
        c['request']={'principal':USER if pk=='user' else SESS,'action':act,'resource':res,'resource_account':A,'context':context(pk)}
        if act=='sts:AssumeRole' and 'resource' in c['policies']:
            # trust-policy shape: no Resource
            for st in (c['policies']['resource'][0]['Statement'] if isinstance(c['policies']['resource'][0]['Statement'],list) else [c['policies']['resource'][0]['Statement']]):
                st.pop('Resource',None); st.pop('NotResource',None)
    c['expected']='Allow'
    out.write(json.dumps(c)+'\n')
