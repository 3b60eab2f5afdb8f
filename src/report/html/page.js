(function(){
'use strict';
// casim report's script: the filter, and each user's timeline and prompt rows,
// drawn from the page's data (#casim-data, written by src/report/html/data.rs)
// when the user's section is opened. Instants are seconds from the axis's start.
var D=null,S,F,Z=null;
function data(){if(!D){D=JSON.parse(document.getElementById('casim-data').textContent);S=D.s;F=D.a[0];Z=D.z||null;}return D;}
var DAYS=['Sun','Mon','Tue','Wed','Thu','Fri','Sat'],
MONTHS=['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
function two(n){return(n<10?'0':'')+n;}
function day(d){return DAYS[d.getUTCDay()]+' '+d.getUTCDate()+' '+MONTHS[d.getUTCMonth()];}
// The scenario clock's offset from UTC at `rel` (D.z: [from, offset] at the
// start and at each change; none without timezone:), and how it is written.
function off(rel){if(!Z)return 0;var o=Z[0][1];for(var i=1;i<Z.length&&Z[i][0]<=rel;i++)o=Z[i][1];return o;}
function zone(o){if(!Z)return 'UTC';var a=Math.abs(o);return(o<0?'-':'+')+two(Math.floor(a/HOUR))+':'+two(Math.floor(a%HOUR/60));}
// The one form of an instant on the page ("Thu 8 Jan 09:00 UTC", or with
// timezone: "Thu 8 Jan 10:00 +01:00"): the same as html::model::when and the
// text outputs. Every time the page shows goes through here.
function when(rel){var o=off(rel),t=F+rel,d=new Date((t+o)*1000),s=day(d)+' '+two(d.getUTCHours())+':'+two(d.getUTCMinutes());
if(t%60)s+=':'+two(d.getUTCSeconds());return s+' '+zone(o);}
// A hover text: each \u0001 is the next instant of `ts`.
function fill(text,ts){var k=0;return text.replace(/\u0001/g,function(){return when(ts[k++]);});}
function esc(s){return String(s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;');}
function r0(v){return Math.round(v);}

var LABEL_W=170,AXIS_H=30,PAD=12,HOUR=3600,DAY=86400;
function X(rel){return LABEL_W+rel*D.a[2]/HOUR;}
function laneH(kind,diff){return kind===0?18:kind===1?30:diff?28:22;}
var BARS=['unlocked','locked','use','bg','ses'];
// A bar's hover text, from its kind and lane (`Bar` in html/model.rs has none of its own).
function barTitle(k,l,from,to){
  var span=when(from)+' to '+when(to),app=l[0]===2?S[l[6]]+' ('+S[l[8]]+')':'';
  return k===0?S[l[4]]+' signed in, unlocked\n'+span:k===1?S[l[4]]+' locked\n'+span:
    k===2?app+' in use\n'+span:k===3?app+' works in the background\n'+span:'valid session '+span;
}
var RESULTS=['','\nthe user failed the sign-in','\nthe user abandoned the sign-in','\nnot answered by the end of the timeline','\nno sign-in possible during the outage'];

function grid(out,bottom){
  var span=D.a[1]-D.a[0],daily=span>36*HOUR,pxh=D.a[2];
  var step=daily?6*HOUR:pxh>=160?1800:pxh>=40?HOUR:2*HOUR;
  // Ticks at round times of the scenario's clock (`l`, local seconds), placed at
  // their instant: across a daylight saving change the local grid moves by it.
  var o0=off(0),l0=F+o0;
  if(daily)l0=Math.ceil(l0/step)*step;
  for(var l=l0;;l+=step){
    var rel=l-F-off(l-F-o0);
    if(rel>span)break;
    var x=r0(X(rel)),mid=((l%DAY)+DAY)%DAY===0,d=new Date(l*1000);
    out.push('<line class="g'+(mid?' gd':'')+'" x1="'+x+'" x2="'+x+'" y1="'+(AXIS_H-4)+'" y2="'+r0(bottom)+'"/>');
    if(rel<span){
      if(mid||l===l0)out.push('<text class="ax ad" x="'+(x+3)+'" y="11">'+day(d)+'</text>');
      if(!daily)out.push('<text class="ax" x="'+(x+2)+'" y="'+(AXIS_H-6)+'">'+two(d.getUTCHours())+':'+two(d.getUTCMinutes())+'</text>');
      else if(!mid)out.push('<text class="ax" x="'+(x+2)+'" y="'+(AXIS_H-6)+'">'+two(d.getUTCHours())+'</text>');
    }
  }
}

// One mark: [shape, at, title(, row, reason, times)].
function mark(out,p,mid){
  var x=X(p[1]),row=p[3]||0,y=row===1?mid-6:row===2?mid+5:mid,
  title='<title>'+esc(fill(S[p[2]],p[5]&&p[5].length?p[5]:[p[1]]))+'</title>',
  reason=p[4]>=0&&p.length>4?' r-'+S[p[4]]:'',xr=r0(x),yr=r0(y);
  switch(p[0]){
  case 2:case 3:out.push('<path class="m blocked'+(p[0]===3?' base-b':'')+'" d="M'+r0(x-4)+' '+r0(y-4)+'l8 8m0-8l-8 8">'+title+'</path>');break;
  case 4:out.push('<circle class="m ro'+reason+'" cx="'+xr+'" cy="'+yr+'" r="4">'+title+'</circle>');break;
  case 5:out.push('<path class="m deferred" d="M'+r0(x-4)+' '+r0(y-9)+'h8l-4 6z">'+title+'</path>');break;
  case 6:out.push('<path class="m finding" d="M'+r0(x-4)+' '+r0(y+9)+'h8l-4-6z">'+title+'</path>');break;
  case 7:out.push('<path class="m prt" d="M'+xr+' '+r0(y-14)+'l4.5 4.5l-4.5 4.5l-4.5-4.5z">'+title+'</path>');break;
  case 8:out.push('<path class="m signin" d="M'+r0(x-1)+' '+r0(y-6)+'l9 6l-9 6z">'+title+'</path>');break;
  case 9:out.push('<path class="m signout" d="M'+r0(x+1)+' '+r0(y-6)+'l-9 6l9 6z">'+title+'</path>');break;
  case 10:out.push('<rect class="m lock" x="'+r0(x-4)+'" y="'+r0(y-4)+'" width="8" height="8">'+title+'</rect>');break;
  case 11:out.push('<rect class="m unlock" x="'+r0(x-3.5)+'" y="'+r0(y-3.5)+'" width="7" height="7">'+title+'</rect>');break;
  case 12:out.push('<path class="m close" d="M'+r0(x-3.5)+' '+r0(y-3.5)+'l7 7m0-7l-7 7">'+title+'</path>');break;
  case 13:out.push('<path class="m open" d="M'+r0(x-4)+' '+yr+'h8m-4-4v8">'+title+'</path>');break;
  case 14:out.push('<rect class="m touch" x="'+r0(x-1)+'" y="'+r0(y-6)+'" width="2" height="12">'+title+'</rect>');break;
  default:out.push('<circle class="m acct" cx="'+xr+'" cy="'+yr+'" r="4">'+title+'</circle>');
  }
}

// A prompt's hover text, from its fields: [run, lane, at, reason, kind, detail, times, policy, rule, error, result,
// answered, ssi(, baseline detail, its times)].
function promptTitle(p,lane,label){
  var s=label+' · '+when(p[2])+'\n'+S[p[4]]+' in '+S[lane[6]]+' ('+S[lane[8]]+') on '+S[lane[4]]+'\nreason: '+S[p[3]]+'\n'+fill(S[p[5]],p[6]);
  if(p[7]>=0)s+='\npolicy: '+S[p[7]];
  s+='\nrule: '+S[p[8]];
  if(p[9]>=0)s+='\nerror: AADSTS'+S[p[9]];
  if(p[10]===0&&p[11]>=0)s+='\nanswered '+when(p[11]);
  s+=RESULTS[p[10]]||'';
  if(p[12]>=0)s+='\n"Stay signed in?" '+(p[12]?'yes':'no');
  if(p.length>13)s+='\nbaseline\'s explanation: '+fill(S[p[13]],p[14]);
  return s;
}
// Each prompt's label: "prompt 3", or in a diff "baseline 2", "proposed 5", "baseline 2 · proposed 5".
function labels(ps){var b=0,q=0,n=0;return ps.map(function(p){
  if(p[0]===0)return 'prompt '+(++n);if(p[0]===1)return 'baseline '+(++b);if(p[0]===2)return 'proposed '+(++q);
  return 'baseline '+(++b)+' · proposed '+(++q)+' (unchanged)';});}

function svg(u,name){
  var lanes=u[0],ps=u[1],diff=D.a[3]===1,span=D.a[1]-D.a[0],w=X(span)+PAD,h=AXIS_H+6,i,j,out=[],ys=[];
  for(i=0;i<lanes.length;i++)h+=laneH(lanes[i][0],diff);
  out.push('<svg class="tl" width="'+r0(w)+'" height="'+r0(h)+'" viewBox="0 0 '+r0(w)+' '+r0(h)+'" role="img" aria-label="Timeline of '+esc(name)+'">');
  var y=AXIS_H;
  for(i=0;i<lanes.length;i++){
    var l=lanes[i],lh=laneH(l[0],diff),label=S[l[1]],hint=S[l[2]];
    out.push('<rect class="ln'+(l[0]===1?' dev':i%2===0?' even':'')+'" x="0" y="'+y+'" width="'+r0(w)+'" height="'+lh+'"/>');
    if(label.length>24)label=label.slice(0,23)+'…';
    if(l[3])hint+='\n'+l[3]+' marks too close to the ones drawn are not drawn';
    out.push('<text class="lb'+(l[0]===2?'':' ld')+'" x="'+(l[0]===2?16:6)+'" y="'+r0(y+lh/2+4)+'">'+esc(label)+'<title>'+esc(hint)+'</title></text>');
    ys.push(l[0]===1?y+lh/2+3:y+lh/2);y+=lh;
  }
  var bottom=y;grid(out,bottom);
  for(i=0;i<u[2].length;i++){var pc=u[2][i];if(pc[0]<0||pc[0]>span)continue;var px=r0(X(pc[0]));
    out.push('<line class="m pc" x1="'+px+'" x2="'+px+'" y1="'+AXIS_H+'" y2="'+r0(bottom)+'"><title>'+esc(fill(S[pc[1]],[pc[0]]))+'</title></line>');}
  y=AXIS_H;
  for(i=0;i<lanes.length;i++){
    var ln=lanes[i],lh2=laneH(ln[0],diff),mid=ys[i],b=ln[10],from=0;
    for(j=0;j<b.length;j+=4){
      from+=b[j+1];
      var to=from+b[j+2],x1=X(from),x2=X(to),bw=r0(Math.max(x2-x1,1)),k=BARS[b[j]],
      t=barTitle(b[j],ln,from,to);
      if(b[j+3])t+='\nand '+b[j+3]+' more up to '+when(to)+', too close to draw apart';
      t='<title>'+esc(t)+'</title>';
      if(k==='ses')out.push('<rect class="b ses" x="'+r0(x1)+'" y="'+r0(y+2)+'" width="'+bw+'" height="'+r0(lh2-4)+'">'+t+'</rect>');
      else if(k==='use')out.push('<rect class="b use" x="'+r0(x1)+'" y="'+r0(mid-3)+'" width="'+bw+'" height="6">'+t+'</rect>');
      else if(k==='bg')out.push('<line class="b bg" x1="'+r0(x1)+'" x2="'+r0(x1+Math.max(x2-x1,1))+'" y1="'+r0(mid)+'" y2="'+r0(mid)+'">'+t+'</line>');
      else out.push('<rect class="b '+k+'" x="'+r0(x1)+'" y="'+r0(mid-4)+'" width="'+bw+'" height="8">'+t+'</rect>');
    }
    // Each point's instant follows the last one's: make them whole instants first.
    var pts=ln[11].map(function(p,n,a){var q=p.slice();q[1]=(n?a[n-1].t:0)+p[1];p.t=q[1];return q;}),top=[];
    for(j=0;j<pts.length;j++){if(pts[j][0]===2||pts[j][0]===3)top.push(pts[j]);else mark(out,pts[j],mid);}
    for(j=0;j<top.length;j++)mark(out,top[j],mid);
    y+=lh2;
  }
  // Prompts last, on top: the baseline's rings above, the proposed run's below, unchanged ones once in the middle.
  var names=labels(ps);
  for(i=0;i<ps.length;i++){
    var p=ps[i],lane=lanes[p[1]],m=ys[p[1]],row=p[0]===1?m-6:p[0]===2?m+5:m,x=r0(X(p[2])),r=' r-'+S[p[3]],
    title='<title>'+esc(promptTitle(p,lane,names[i]))+'</title>';
    if(p[0]!==1&&p[11]>p[2])out.push('<line class="ans'+r+'" x1="'+x+'" x2="'+r0(X(p[11]))+'" y1="'+r0(row)+'" y2="'+r0(row)+'"/>');
    if(p[0]===1)out.push('<circle class="m base'+r+'" cx="'+x+'" cy="'+r0(row)+'" r="4">'+title+'</circle>');
    else out.push('<circle class="m prompt'+(p[0]===3?' same':'')+r+'" cx="'+x+'" cy="'+r0(row)+'" r="5">'+title+'</circle>');
  }
  out.push('</svg>');
  return out.join('');
}

var RUNS=['','baseline','proposed','both'],LIST=200;
function table(u){
  var ps=u[1],lanes=u[0],diff=D.a[3]===1;
  if(!ps.length)return '';
  var out=['<table class="pl"><thead><tr>'+(diff?'<th>run</th>':'')+'<th>time</th><th>device</th><th>app</th><th>client</th><th>reason</th><th>"Stay signed in?"</th><th>why</th></tr></thead><tbody>'];
  for(var i=0;i<ps.length&&i<LIST;i++){
    var p=ps[i],l=lanes[p[1]],why=fill(S[p[5]],p[6]),reason=S[p[3]];
    if(p[7]>=0)why+=' [policy `'+S[p[7]]+'`]';
    why+=' ('+S[p[8]]+')';
    out.push('<tr>'+(diff?'<td>'+RUNS[p[0]]+'</td>':'')+'<td>'+esc(when(p[2]))+'</td><td title="'+esc(S[l[9]])+'">'+esc(S[l[4]])+'</td><td>'+esc(S[l[5]])+'</td><td>'+esc(S[l[7]])+
      '</td><td><span class="chip r-'+esc(reason)+'"><i></i>'+esc(reason.replace(/_/g,' '))+'</span></td><td>'+(p[12]<0?'not asked':p[12]?'yes':'no')+'</td><td>'+esc(why)+'</td></tr>');
  }
  if(ps.length>LIST)out.push('<tr><td colspan="8">… and '+(ps.length-LIST)+' more (all are on the timeline)</td></tr>');
  out.push('</tbody></table>');
  return out.join('');
}

// Draws a section's timeline and rows the first time it is open.
function draw(e){
  if(!e.open||e.dataset.drawn)return;
  e.dataset.drawn='1';
  var u=data().u[+e.dataset.i],body=document.createElement('div');
  body.className='body';
  body.innerHTML='<div class="tlw">'+(u[0].length?svg(u,e.dataset.user):'<p class="meta">No activity.</p>')+'</div>'+table(u);
  e.appendChild(body);
}
document.addEventListener('toggle',function(ev){if(ev.target.tagName==='DETAILS'&&ev.target.classList.contains('user'))draw(ev.target);},true);

var q=document.getElementById('q'),only=document.getElementById('only'),shown=document.getElementById('shown'),
none=document.getElementById('none'),us=document.querySelectorAll('details.user');
function filter(){var s=q.value.trim().toLowerCase(),n=0;for(var i=0;i<us.length;i++){var u=us[i],
ok=(!s||u.dataset.name.indexOf(s)>=0)&&(!only.checked||u.dataset.flag==='1');u.hidden=!ok;if(ok)n++;}
shown.textContent=n;none.hidden=n>0||us.length===0;}
q.addEventListener('input',filter);only.addEventListener('change',filter);
function hash(){var e=location.hash&&document.getElementById(location.hash.slice(1));if(e&&e.tagName==='DETAILS'){e.hidden=false;e.open=true;draw(e);}}
window.addEventListener('hashchange',hash);hash();
for(var i=0;i<us.length;i++)draw(us[i]);
})();
