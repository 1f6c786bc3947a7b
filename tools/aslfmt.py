#!/usr/bin/env python3
"""Formats .asl.json files the way the repository keeps them: python3 tools/aslfmt.py statemachines/*.asl.json
2-space indent; an array or object that fits on its line within WIDTH characters (indent and key included) is written
on that line. tests/Simulator.Tests/Definitions/DefinitionFormatTests.cs checks every definition against the same rules."""
import json, sys, collections
WIDTH=120
def fmt(v, indent, prefix_len=0):
    one=json.dumps(v, ensure_ascii=False)
    if not isinstance(v,(dict,list)) or indent+prefix_len+len(one)<=WIDTH:
        return one
    pad=' '*(indent+2)
    if isinstance(v,list):
        return '[\n'+',\n'.join(pad+fmt(x,indent+2) for x in v)+'\n'+' '*indent+']'
    parts=[]
    for k,x in v.items():
        key=json.dumps(k,ensure_ascii=False)+': '
        parts.append(pad+key+fmt(x,indent+2,len(key)))
    return '{\n'+',\n'.join(parts)+'\n'+' '*indent+'}'
def format_text(text):
    d=json.loads(text, object_pairs_hook=collections.OrderedDict)
    out=fmt(d,0)+'\n'
    assert json.loads(out)==json.loads(text)
    return out
if __name__=='__main__':
    check='--check' in sys.argv
    for p in [a for a in sys.argv[1:] if a!='--check']:
        text=open(p).read(); out=format_text(text)
        if check: print(p, text.count('\n'), out.count('\n'))
        else: open(p,'w').write(out)
