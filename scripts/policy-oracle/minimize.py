import json,sys,subprocess,copy
def run(cases):
    inp=''.join(json.dumps(c)+'\n' for c in cases)
    ora=subprocess.run(['node','oracle.mjs'],input=inp,capture_output=True,text=True).stdout.splitlines()
    exp=[]
    for l in ora:
        c=json.loads(l); c['expected']=c.pop('oracle'); exp.append(c)
    open('/tmp/oracle/m.exp','w').write(''.join(json.dumps(c)+'\n' for c in exp))
    res=subprocess.run(['/tmp/federa','policy','test','/tmp/oracle/m.exp'],capture_output=True,text=True).stdout
    fails={l.split(':')[0][5:] for l in res.splitlines() if l.startswith('FAIL')}
    return [(c['id'] in fails) for c in exp], exp
def variants(c):
    pol=c['policies']
    for kind in list(pol):
        for i in range(len(pol[kind])):
            v=copy.deepcopy(c); del v['policies'][kind][i]
            if kind!='identity' and not v['policies'][kind]: del v['policies'][kind]
            yield v
            d=pol[kind][i]; sts=d['Statement'] if isinstance(d['Statement'],list) else [d['Statement']]
            for j in range(len(sts)):
                if len(sts)>1:
                    v=copy.deepcopy(c); dd=v['policies'][kind][i]; s2=dd['Statement'] if isinstance(dd['Statement'],list) else [dd['Statement']]; del s2[j]; dd['Statement']=s2; yield v
                st=sts[j]
                for op in list(st.get('Condition',{})):
                    for k in list(st['Condition'][op]):
                        v=copy.deepcopy(c); dd=v['policies'][kind][i]; s2=dd['Statement'] if isinstance(dd['Statement'],list) else [dd['Statement']]
                        del s2[j]['Condition'][op][k]
                        if not s2[j]['Condition'][op]: del s2[j]['Condition'][op]
                        if not s2[j]['Condition']: del s2[j]['Condition']
                        yield v
                for f in ('Action','NotAction','Resource','NotResource'):
                    if isinstance(st.get(f),list) and len(st[f])>1:
                        for m in range(len(st[f])):
                            v=copy.deepcopy(c); dd=v['policies'][kind][i]; s2=dd['Statement'] if isinstance(dd['Statement'],list) else [dd['Statement']]; del s2[j][f][m]; yield v
                if 'Sid' in st:
                    v=copy.deepcopy(c); dd=v['policies'][kind][i]; s2=dd['Statement'] if isinstance(dd['Statement'],list) else [dd['Statement']]; del s2[j]['Sid']; yield v
cases={json.loads(l)['id']:json.loads(l) for l in open(sys.argv[1])}
for cid in sys.argv[2:]:
    c=cases[cid]; c.pop('expected',None)
    while True:
        vs=list(variants(c))
        if not vs: break
        for n,v in enumerate(vs): v['id']=f'v{n}'
        fl,_=run(vs)
        nxt=[v for v,f in zip(vs,fl) if f]
        if not nxt: break
        c=nxt[0]
    fl,exp=run([c])
    e=exp[0]
    print('==',cid,'oracle:',e['expected'],e['request']['principal'][-30:],e['request']['action'],e['request']['resource'])
    for k,v in e['policies'].items():
        for p in v: print('  ',k,json.dumps(p))
    ctx=e['request']['context']
    print('   ctx',json.dumps({k:v for k,v in ctx.items() if k not in ('aws:PrincipalArn','aws:PrincipalAccount','aws:userid','aws:FederatedProvider','cognito-identity.amazonaws.com:sub','cognito-identity.amazonaws.com:aud','cognito-identity.amazonaws.com:amr','aws:EpochTime','aws:CurrentTime','aws:TokenIssueTime')}))
