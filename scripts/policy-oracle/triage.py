import json,sys,re
cases={}
for l in open(sys.argv[1]): c=json.loads(l); cases[c['id']]=c
SESS='arn:aws:sts::123456789012:assumed-role/Cognito_AppPoolAuth_Role/CognitoIdentityCredentials'
out=[]
for l in open(sys.argv[2]):
    if not l.startswith('FAIL'): continue
    cid=l.split(':')[0][5:]; c=cases[cid]; flags=[]
    ctx={k.lower():v for k,v in c['request']['context'].items()}
    docs=[d for v in c['policies'].values() for d in v]
    for d in docs:
        s=json.dumps(d)
        if d.get('Version')!='2012-10-17':
            if '${' in s: flags.append('var2008')
            continue
        for m in re.finditer(r'\$\{([^}]*)\}',s):
            k=m.group(1)
            if k in ('*','?','$') or ", '" in k: continue
            if k.lower() not in ctx or isinstance(ctx[k.lower()],list): flags.append('missingvar')
    for d in docs:
        for st in (d['Statement'] if isinstance(d['Statement'],list) else [d['Statement']]):
            for op,kv in st.get('Condition',{}).items():
                for k,v in kv.items():
                    vs=v if isinstance(v,list) else [v]
                    if 'Arn' in op and any('${' in str(x) and ':' in str(x).split('${',1)[1].split('}')[0] for x in vs): flags.append('arnvar')
                    if 'Ip' in op and any('/' not in str(x) for x in vs): flags.append('bareip')
    if ('session' in c['policies'] or 'boundary' in c['policies']) and (SESS in json.dumps(c['policies'].get('resource',[])) or 'user/alice' in json.dumps(c['policies'].get('resource',[]))): flags.append('sessprincipal')
    out.append((sorted(set(flags)),l.strip()))
clean=[o for o in out if not o[0]]
import collections; print(collections.Counter(tuple(o[0]) for o in out))
print(len(out),'fails,',len(clean),'unflagged')
for f,l in clean[:12]: print(l[:160])
