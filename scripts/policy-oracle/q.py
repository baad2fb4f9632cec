# q.py: ad-hoc cases. Each arg: JSON {"st": statement or list, "ctx": {...}, "drop": [...], "principal": ..., "action":..., "resource":..., "version":...}
import json,sys,subprocess,tempfile
base=json.loads(open('/tmp/oracle/g1.exp').readline())
lines=[]
for i,a in enumerate(sys.argv[1:]):
    q=json.loads(a)
    c=json.loads(json.dumps(base)); c['id']=f'q{i}'
    st=q['st'] if isinstance(q['st'],list) else [q['st']]
    for s in st:
        s.setdefault('Effect','Allow'); s.setdefault('Action','s3:GetObject'); s.setdefault('Resource','*')
    doc={"Statement":st}
    if q.get('version','2012-10-17'): doc['Version']=q.get('version','2012-10-17')
    c['policies']={'identity':[doc]}
    if 'resource_policy' in q: c['policies']['resource']=[q['resource_policy']]
    c['request']['action']=q.get('action','s3:GetObject'); c['request']['resource']=q.get('resource','arn:aws:s3:::b/k')
    if 'principal' in q: c['request']['principal']=q['principal']
    c['request']['context'].update(q.get('ctx',{}))
    for d in q.get('drop',[]): c['request']['context'].pop(d,None)
    lines.append(json.dumps(c))
inp='\n'.join(lines)+'\n'
ora=subprocess.run(['node','oracle.mjs'],input=inp,capture_output=True,text=True,cwd='/tmp/oracle').stdout.splitlines()
exp=[]
for l in ora:
    c=json.loads(l); c['expected']=c.pop('oracle'); exp.append(json.dumps(c))
open('/tmp/oracle/q.exp','w').write('\n'.join(exp)+'\n')
res=subprocess.run(['/tmp/federa','policy','test','/tmp/oracle/q.exp'],capture_output=True,text=True).stdout
fails={l.split(':')[0][5:]:l for l in res.splitlines() if l.startswith('FAIL')}
for e,a in zip(exp,sys.argv[1:]):
    c=json.loads(e)
    print(('DIFF ' if c['id'] in fails else 'same ')+c['expected'].ljust(13), a[:150], ('  federa: '+fails[c['id']].split('got ')[1][:60]) if c['id'] in fails else '')
