#!/usr/bin/env python3
# Compares two sets of `./editunit edit --json` outputs case by case (docs/tuning.md, rerun of the tuning table).
# usage: compare-edit-runs.py PREFIX_A PREFIX_B   reads PREFIX-{rome,c-rome,ft-l,memit0,memit1}.json of each
import json,sys
a,b=sys.argv[1],sys.argv[2]
for m in ['rome','c-rome','ft-l','memit0','memit1']:
    try:
        A=json.load(open(f'{a}-{m}.json')); B=json.load(open(f'{b}-{m}.json'))
    except Exception as e:
        print(m,'missing',e); continue
    sa={k:v for k,v in A['summary'].items() if not isinstance(v,(dict,list))}
    sb={k:v for k,v in B['summary'].items() if not isinstance(v,(dict,list))}
    keys=['efficacyScore','paraphraseScore','neighborhoodScore','collapsed','weightsRestored','failed','errors','editSeconds']
    print(m, {k:(sa.get(k),sb.get(k)) for k in sa if k in keys or 'ppl' in k.lower() or k in ('es','ps','ns')})
    flags=['es','ps','ns','rewriteAcc','rephraseAcc','localityAcc','collapsed','firstToken']
    nums=['em','pm','nm','pplAfter','pplRatio']
    dflag=0; dmax=0.0; n=0
    for ca,cb in zip(A['cases'],B['cases']):
        assert ca['caseId']==cb['caseId']
        n+=1
        for f in flags:
            if ca.get(f)!=cb.get(f): dflag+=1; print('  flag differs',ca['caseId'],f,ca.get(f),cb.get(f))
        for f in nums:
            x,y=ca.get(f),cb.get(f)
            if isinstance(x,(int,float)) and isinstance(y,(int,float)): dmax=max(dmax,abs(x-y))
    print(f'  {n} cases, flag differences {dflag}, max |diff| of em/pm/nm/ppl {dmax:.2e}')
